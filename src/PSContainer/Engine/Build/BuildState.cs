using System.Text.Json;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// The image a stage has built so far: its config (run settings and history), its layers, and the identity
/// the cache keys of its next step build on.
/// </summary>
internal sealed class BuildState
{
    /// <summary>The config being built; its <c>Config</c> is never null.</summary>
    public OciImageConfig Image { get; set; } = new() { Config = new OciRunConfig() };

    /// <summary>The layers, base first.</summary>
    public List<ImageLayer> Layers { get; set; } = new();

    /// <summary>What this state is: the base image's id, "scratch", or the cache key of the last step.</summary>
    public string CacheId { get; set; } = "scratch";

    /// <summary>The build args this stage declared, with their values (null: declared without a value).</summary>
    public Dictionary<string, string?> Args { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a CMD of this stage set the command (an ENTRYPOINT then keeps it).</summary>
    public bool CommandSet { get; set; }

    /// <summary>The run settings.</summary>
    public OciRunConfig Run => Image.Config!;

    /// <summary>The ChainIDs of the layers, base first.</summary>
    public List<string> ChainIds => LayerStore.ChainIdsOf(Layers.Select(l => l.DiffId));

    /// <summary>A state starting from an image's config and layers (a deep copy, so the base stays untouched).</summary>
    public static BuildState From(OciImageConfig image, IEnumerable<ImageLayer> layers, string cacheId)
    {
        var copy = Clone(image);
        copy.Config ??= new OciRunConfig();
        copy.History ??= new List<OciHistory>();
        return new BuildState
        {
            Image = copy,
            Layers = layers.Select(l => new ImageLayer { DiffId = l.DiffId, Digest = l.Digest, MediaType = l.MediaType, Size = l.Size }).ToList(),
            CacheId = cacheId,
        };
    }

    /// <summary>A deep copy of a config.</summary>
    public static OciImageConfig Clone(OciImageConfig image) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(image, OciJsonContext.Default.OciImageConfig), OciJsonContext.Default.OciImageConfig)!;

    /// <summary>The environment the image sets, as a lookup.</summary>
    public Dictionary<string, string> EnvironmentMap()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Run.Env ?? [])
        {
            var eq = entry.IndexOf('=');
            if (eq > 0) map[entry[..eq]] = entry[(eq + 1)..];
        }
        return map;
    }

    /// <summary>Adds a history entry for a step that made (or did not make) a layer.</summary>
    public void AddHistory(string createdBy, bool emptyLayer, DateTimeOffset created)
    {
        Image.History ??= new List<OciHistory>();
        Image.History.Add(new OciHistory { Created = created, CreatedBy = createdBy, EmptyLayer = emptyLayer ? true : null });
        Image.Created = created;
    }
}
