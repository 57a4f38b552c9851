namespace PSContainer.Engine.Registry;

/// <summary>How a blob got into the target repository.</summary>
internal enum BlobPushResult
{
    /// <summary>The repository had it already; nothing was sent.</summary>
    AlreadyExists,
    /// <summary>The registry linked it from another repository; nothing was sent.</summary>
    Mounted,
    /// <summary>The content was uploaded.</summary>
    Uploaded,
}
