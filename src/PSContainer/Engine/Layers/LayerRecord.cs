namespace PSContainer.Engine.Layers;

/// <summary>What the store keeps beside an unpacked layer's diff directory.</summary>
internal sealed class LayerRecord
{
    /// <summary>The ChainID that names the layer: the layer plus all below it.</summary>
    public string ChainId { get; set; } = "";

    /// <summary>The digest of this layer's uncompressed tar.</summary>
    public string DiffId { get; set; } = "";

    /// <summary>The ChainID of the layer below, or null for a base layer.</summary>
    public string? Parent { get; set; }

    /// <summary>The short link name under <c>l/</c> that points at the diff directory.</summary>
    public string Link { get; set; } = "";

    /// <summary>Bytes of file content in the layer.</summary>
    public long Size { get; set; }
}
