namespace PSContainer.Engine.Images;

/// <summary>An image as Get-Image shows it: one object per tag (or one untagged object), like <c>docker images</c>.</summary>
public sealed class ImageInfo
{
    /// <summary>The image id: the config digest, <c>sha256:…</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary>The first 12 hex digits of the id.</summary>
    public string ShortId => Id.Length > 19 ? Id[7..19] : Id;

    /// <summary>The repository in familiar form ("busybox", "ghcr.io/org/app"), or "&lt;none&gt;".</summary>
    public string Repository { get; init; } = "<none>";

    /// <summary>The tag, or "&lt;none&gt;".</summary>
    public string Tag { get; init; } = "<none>";

    /// <summary>Repository:tag in familiar form, or the short id when untagged; binds to -Name of other cmdlets.</summary>
    public string Name => Repository == "<none>" ? ShortId : Repository + ":" + Tag;

    /// <summary>Every tag of the image, in familiar form.</summary>
    public IReadOnlyList<string> RepoTags { get; init; } = [];

    /// <summary>Repository digests (<c>name@sha256:…</c>).</summary>
    public IReadOnlyList<string> RepoDigests { get; init; } = [];

    /// <summary>When the image was built (from its config), or when it was stored.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Unpacked size of all layers, in bytes.</summary>
    public long Size { get; init; }

    /// <summary>CPU architecture.</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Operating system.</summary>
    public string Os { get; init; } = "";

    /// <summary>Number of layers.</summary>
    public int LayerCount { get; init; }

    /// <summary>Default entrypoint.</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    /// <summary>Default command.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Default environment.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Default working directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Default user.</summary>
    public string? User { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Ports the image exposes ("80/tcp").</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    /// <summary>Paths the image declares as volumes.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() => Name;
}
