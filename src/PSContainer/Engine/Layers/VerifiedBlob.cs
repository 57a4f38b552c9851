namespace PSContainer.Engine.Layers;

/// <summary>What the store found a layer blob to be when it read it: its size and the diff id of its content.</summary>
internal sealed class VerifiedBlob
{
    /// <summary>The digest of the blob's uncompressed tar.</summary>
    public string DiffId { get; set; } = "";

    /// <summary>The blob's size in bytes, as stored (compressed or not).</summary>
    public long Size { get; set; }
}
