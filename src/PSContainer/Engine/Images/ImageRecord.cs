using PSContainer.Engine.Content;

namespace PSContainer.Engine.Images;

/// <summary>What the store keeps of an image: its config digest (the image id) and its layers in order.</summary>
internal sealed class ImageRecord
{
    /// <summary>The config digest, <c>sha256:…</c>; the image id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The digest of the manifest the image came from, when it came from a registry or archive.</summary>
    public string? ManifestDigest { get; set; }

    /// <summary>The repository digests (<c>name@sha256:…</c>) the image is known by.</summary>
    public List<string> RepoDigests { get; set; } = new();

    /// <summary>The layers, base first.</summary>
    public List<ImageLayer> Layers { get; set; } = new();

    /// <summary>When the image entered this store.</summary>
    public DateTimeOffset Stored { get; set; }
}

/// <summary>A layer as an image refers to it.</summary>
internal sealed class ImageLayer
{
    /// <summary>The digest of the uncompressed tar.</summary>
    public string DiffId { get; set; } = "";

    /// <summary>The digest of the blob as distributed (compressed or not).</summary>
    public string Digest { get; set; } = "";

    /// <summary>The blob's media type.</summary>
    public string MediaType { get; set; } = "";

    /// <summary>The blob's size in bytes.</summary>
    public long Size { get; set; }
}
