using System.Text;
using PSContainer.Engine.Content;
using PSContainer.Engine.Storage;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Layers;

/// <summary>
/// Unpacked layers keyed by ChainID: <c>layers/&lt;chain&gt;/diff</c> holds the files, <c>layer.json</c> the
/// record, and <c>l/&lt;link&gt;</c> a short symlink to the diff so overlay option strings stay short.
/// A layer directory appears by rename only after it is whole; it is never changed afterwards.
/// </summary>
internal sealed class LayerStore
{
    private const string RecordFile = "layer.json";
    private readonly StoreLayout _layout;

    public LayerStore(StoreLayout layout)
    {
        _layout = layout;
        Verified = new VerifiedBlobs(layout);
    }

    /// <summary>Which layer blobs the store has read and found to give which diff id; a present layer is reused only on their word.</summary>
    public VerifiedBlobs Verified { get; }

    /// <summary>The ChainID of <paramref name="diffId"/> stacked on <paramref name="parentChainId"/> (OCI image spec).</summary>
    public static string ChainIdOf(string? parentChainId, string diffId) =>
        parentChainId is null ? diffId : Digest.Of(Encoding.ASCII.GetBytes(parentChainId + " " + diffId)).ToString();

    /// <summary>The ChainIDs of every prefix of a diff id list, base first.</summary>
    public static List<string> ChainIdsOf(IEnumerable<string> diffIds)
    {
        var chain = new List<string>();
        string? parent = null;
        foreach (var diffId in diffIds)
            chain.Add(parent = ChainIdOf(parent, diffId));
        return chain;
    }

    /// <summary>Whether the layer is unpacked and whole.</summary>
    public bool Exists(string chainId) => File.Exists(Path.Combine(DirOf(chainId), RecordFile));

    /// <summary>Reads a layer's record.</summary>
    public LayerRecord Get(string chainId)
    {
        var file = Path.Combine(DirOf(chainId), RecordFile);
        if (!File.Exists(file))
            throw new EngineException("LayerNotFound", EngineErrorKind.NotFound, $"Layer {chainId} is not in the store.", chainId);
        return StoreJson.Read(file, LayerJsonContext.Default.LayerRecord);
    }

    /// <summary>The directory holding the layer's files.</summary>
    public string DiffDir(string chainId) => Path.Combine(DirOf(chainId), "diff");

    /// <summary>The short path of the layer's diff, relative to the store root (for overlay lowerdir).</summary>
    public string LinkPath(LayerRecord record) => Path.Combine("l", record.Link);

    /// <summary>
    /// Creates a layer unless it exists: <paramref name="fill"/> unpacks into an empty directory and returns
    /// the diff id it found and the content size; the directory is renamed into place only when it succeeds
    /// and the diff id is the expected one (when one is expected). Safe to call from several threads and
    /// processes at once: the first to finish wins, the rest discard their copy.
    /// </summary>
    public LayerRecord Create(string? parentChainId, string? expectedDiffId, Func<string, (string DiffId, long Size)> fill)
    {
        if (expectedDiffId is not null && Exists(ChainIdOf(parentChainId, expectedDiffId)))
            return Get(ChainIdOf(parentChainId, expectedDiffId));

        var staging = Path.Combine(_layout.TempDir, TempName.For("layer"));
        var stagingDiff = Path.Combine(staging, "diff");
        Directory.CreateDirectory(stagingDiff);
        try
        {
            var (diffId, size) = fill(stagingDiff);
            if (expectedDiffId is not null && diffId != expectedDiffId)
                throw new EngineException("DiffIdMismatch", EngineErrorKind.InvalidData,
                    $"Layer content has diff id {diffId}; the image config says {expectedDiffId}.", expectedDiffId);
            var chainId = ChainIdOf(parentChainId, diffId);
            if (Exists(chainId))
            {
                DirectoryTree.Delete(staging);
                return Get(chainId);
            }
            var hex = Digest.Parse(chainId).Hex;
            var record = new LayerRecord
            {
                ChainId = chainId,
                DiffId = diffId,
                Parent = parentChainId,
                Link = hex[..26].ToUpperInvariant(),
                Size = size,
            };
            StoreJson.Write(Path.Combine(staging, RecordFile), record, LayerJsonContext.Default.LayerRecord);
            var link = Path.Combine(_layout.LinksDir, record.Link);
            try
            {
                File.CreateSymbolicLink(link, Path.Combine("..", "layers", hex, "diff"));
            }
            catch (IOException) when (new FileInfo(link).LinkTarget is not null)
            {
                // Another writer of the same layer made the link first; it points at the same place.
            }
            try
            {
                Directory.Move(staging, DirOf(chainId));
            }
            catch (IOException) when (Exists(chainId))
            {
                DirectoryTree.Delete(staging);
                return Get(chainId);
            }
            return record;
        }
        catch
        {
            DirectoryTree.Delete(staging);
            throw;
        }
    }

    /// <summary>Every whole layer in the store.</summary>
    public IEnumerable<LayerRecord> List()
    {
        foreach (var dir in Directory.EnumerateDirectories(_layout.LayersDir))
        {
            var file = Path.Combine(dir, RecordFile);
            if (File.Exists(file))
                yield return StoreJson.Read(file, LayerJsonContext.Default.LayerRecord);
        }
    }

    /// <summary>Removes a layer and its link. The caller holds the store lock and knows no image uses it.</summary>
    public void Delete(string chainId)
    {
        var dir = DirOf(chainId);
        var recordFile = Path.Combine(dir, RecordFile);
        if (File.Exists(recordFile))
        {
            var record = StoreJson.Read(recordFile, LayerJsonContext.Default.LayerRecord);
            File.Delete(Path.Combine(_layout.LinksDir, record.Link));
            // The record goes first so a crash mid-delete leaves a directory that Repair removes.
            File.Delete(recordFile);
        }
        DirectoryTree.Delete(dir);
    }

    /// <summary>Removes layer directories left without a record by a crash, and dangling links.</summary>
    public void Repair()
    {
        foreach (var dir in Directory.EnumerateDirectories(_layout.LayersDir))
            if (!File.Exists(Path.Combine(dir, RecordFile)))
                DirectoryTree.Delete(dir);
        foreach (var link in Directory.EnumerateFileSystemEntries(_layout.LinksDir))
            if (!Directory.Exists(link))
                File.Delete(link);
    }

    private string DirOf(string chainId) => Path.Combine(_layout.LayersDir, Digest.Parse(chainId).Hex);
}
