namespace PSContainer.Engine.Layers;

/// <summary>How a layer blob is compressed, as its first bytes tell.</summary>
internal enum LayerCompression
{
    /// <summary>A plain tar.</summary>
    None,

    /// <summary>gzip.</summary>
    Gzip,

    /// <summary>Zstandard.</summary>
    Zstd,
}
