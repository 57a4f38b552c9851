using PSContainer.Engine.Layers;
using PSContainer.Engine.Registry;

namespace PSContainer.Engine.Archives;

/// <summary>The media types archives give configs and layers.</summary>
internal static class ArchiveMediaTypes
{
    /// <summary>Whether a manifest's config is an image config (else the manifest is some other artifact).</summary>
    public static bool IsImageConfig(string? mediaType) => mediaType is MediaTypes.OciConfig or MediaTypes.DockerConfig;

    /// <summary>The OCI layer type for a blob compressed as <paramref name="compression"/>.</summary>
    public static string OciLayer(LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => MediaTypes.OciLayerGzip,
        LayerCompression.Zstd => MediaTypes.OciLayerZstd,
        _ => MediaTypes.OciLayerTar,
    };
}
