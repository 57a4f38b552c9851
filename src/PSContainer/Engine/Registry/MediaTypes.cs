namespace PSContainer.Engine.Registry;

/// <summary>The manifest, config and layer media types a registry speaks.</summary>
internal static class MediaTypes
{
    /// <summary>Docker image manifest, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker manifest list (multi-platform).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index (multi-platform).</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Docker image configuration.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>OCI image configuration.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>Docker gzip layer.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>OCI uncompressed layer.</summary>
    public const string OciLayerTar = "application/vnd.oci.image.layer.v1.tar";

    /// <summary>OCI gzip layer.</summary>
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>OCI zstd layer.</summary>
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

    /// <summary>
    /// The layer types Docker pulls: Docker's gzip, plain and foreign layers, OCI's plain, gzip and zstd layers and
    /// their non-distributable forms. Any other type is a document the engine does not understand, so it is refused.
    /// </summary>
    private static readonly HashSet<string> Layers = new(StringComparer.OrdinalIgnoreCase)
    {
        DockerLayerGzip, "application/vnd.docker.image.rootfs.diff.tar", "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        OciLayerTar, OciLayerGzip, OciLayerZstd,
        "application/vnd.oci.image.layer.nondistributable.v1.tar", "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    };

    /// <summary>Whether the type is an image layer the engine can apply.</summary>
    public static bool IsLayer(string? mediaType) => mediaType is not null && Layers.Contains(mediaType);

    /// <summary>The manifest types the client accepts, in the Accept header order.</summary>
    public static readonly string[] Manifests = [OciIndex, DockerManifestList, OciManifest, DockerManifest];

    /// <summary>Whether the type lists per-platform manifests.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>Whether the type is a single-image manifest.</summary>
    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;
}
