namespace PSContainer.Engine.Images;

/// <summary>What a push is doing with one layer; the last three mean the layer is done.</summary>
internal enum PushPhase
{
    /// <summary>An uncompressed layer is being gzipped into the content store, once.</summary>
    Compressing,
    /// <summary>The layer is being sent.</summary>
    Uploading,
    /// <summary>The repository had the layer already.</summary>
    Exists,
    /// <summary>The registry linked the layer from another repository.</summary>
    Mounted,
    /// <summary>The layer was sent.</summary>
    Uploaded,
}
