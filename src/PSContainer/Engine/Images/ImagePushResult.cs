using PSContainer.Engine.Content;

namespace PSContainer.Engine.Images;

/// <summary>What Publish-Image pushed: the reference, the manifest digest, and how each blob got there.</summary>
public sealed class ImagePushResult
{
    /// <summary>The pushed reference in familiar form: "127.0.0.1:5000/busybox:latest".</summary>
    public string Reference { get; init; } = "";

    /// <summary>The repository in familiar form: "127.0.0.1:5000/busybox".</summary>
    public string Repository { get; init; } = "";

    /// <summary>The tag pushed.</summary>
    public string Tag { get; init; } = "";

    /// <summary>The manifest's digest, <c>sha256:…</c>.</summary>
    public string Digest { get; init; } = "";

    /// <summary>The reference pinned by digest: "127.0.0.1:5000/busybox@sha256:…"; pulls exactly this image.</summary>
    public string DigestReference => Repository + "@" + Digest;

    /// <summary>The image id (config digest).</summary>
    public string ImageId { get; init; } = "";

    /// <summary>The bytes of the manifest, the config and every layer as the registry holds them.</summary>
    public long Size { get; init; }

    /// <summary>Blobs (layers and config) that were sent.</summary>
    public int UploadedBlobs { get; init; }

    /// <summary>Blobs the registry linked from another repository instead.</summary>
    public int MountedBlobs { get; init; }

    /// <summary>Blobs the repository had already.</summary>
    public int ExistingBlobs { get; init; }
}
