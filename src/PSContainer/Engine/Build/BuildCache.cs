using System.Text.Json;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Cached build steps, one record a key in <c>buildcache/</c>. A record holds no content of its own: it is
/// good while the layers it names are in the store, and those go with the last image that uses them, so a
/// record whose layers were collected is dropped when it is next looked at (or swept).
/// </summary>
internal sealed class BuildCache
{
    private readonly StoreLayout _layout;
    private readonly ContentStore _content;
    private readonly LayerStore _layers;

    public BuildCache(StoreLayout layout, ContentStore content, LayerStore layers)
    {
        _layout = layout;
        _content = content;
        _layers = layers;
    }

    private string Dir => _layout.BuildCacheDir;

    /// <summary>The record for <paramref name="key"/> when it is whole, else null.</summary>
    public BuildCacheRecord? Find(string key)
    {
        var path = PathOf(key);
        var record = StoreJson.TryRead(path, BuildJsonContext.Default.BuildCacheRecord);
        if (record is null) return null;
        if (IsWhole(record)) return record;
        File.Delete(path);
        return null;
    }

    /// <summary>Stores a record (replacing an older one under the same key).</summary>
    public void Put(BuildCacheRecord record) => StoreJson.Write(PathOf(record.Key), record, BuildJsonContext.Default.BuildCacheRecord);

    /// <summary>Removes the records whose layers are no longer in the store.</summary>
    public void Sweep()
    {
        foreach (var file in Directory.EnumerateFiles(Dir, "*.json"))
        {
            var record = StoreJson.TryRead(file, BuildJsonContext.Default.BuildCacheRecord);
            if (record is null || !IsWhole(record)) File.Delete(file);
        }
    }

    private bool IsWhole(BuildCacheRecord record)
    {
        foreach (var chainId in LayerStore.ChainIdsOf(record.Layers.Select(l => l.DiffId)))
            if (!_layers.Exists(chainId)) return false;
        return record.Layers.All(l => _content.Exists(Digest.Parse(l.Digest)));
    }

    private string PathOf(string key) => Path.Combine(Dir, Digest.Parse(key).Hex + ".json");
}
