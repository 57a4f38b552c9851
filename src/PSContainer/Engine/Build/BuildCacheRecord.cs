using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>What one cached step produced: the whole config after it and the layers up to it.</summary>
internal sealed class BuildCacheRecord
{
    /// <summary>The step's cache key.</summary>
    public string Key { get; set; } = "";

    /// <summary>The config after the step (history and creation times included, so a rebuild gives the same id).</summary>
    public OciImageConfig Image { get; set; } = new();

    /// <summary>The layers after the step, base first.</summary>
    public List<ImageLayer> Layers { get; set; } = new();
}
