using PSContainer.Engine.Content;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Layers;

/// <summary>
/// The layer blobs the store has read in full, each with the size and diff id it was found to have
/// (<c>diffids/&lt;blob hex&gt;</c>, as Docker's diffid-by-digest and containers/image's blob-info cache).
/// A present layer is reused for a new manifest or archive only when this says the very blob the manifest
/// names was verified to give the layer's diff id; a ChainID match alone proves nothing about that blob.
/// </summary>
internal sealed class VerifiedBlobs
{
    private readonly StoreLayout _layout;

    public VerifiedBlobs(StoreLayout layout) => _layout = layout;

    /// <summary>Notes that <paramref name="blob"/>, <paramref name="size"/> bytes, was read and gives <paramref name="diffId"/>.</summary>
    public void Record(Digest blob, long size, string diffId)
    {
        if (Gives(blob, size, diffId))
            return;
        Directory.CreateDirectory(_layout.DiffIdsDir);
        StoreJson.Write(PathOf(blob), new VerifiedBlob { DiffId = diffId, Size = size }, LayerJsonContext.Default.VerifiedBlob);
    }

    /// <summary>Whether <paramref name="blob"/> was verified to be <paramref name="size"/> bytes that give <paramref name="diffId"/>.</summary>
    public bool Gives(Digest blob, long size, string diffId) =>
        StoreJson.TryRead(PathOf(blob), LayerJsonContext.Default.VerifiedBlob) is { } known && known.Size == size && known.DiffId == diffId;

    private string PathOf(Digest blob) => Path.Combine(_layout.DiffIdsDir, blob.Hex);
}
