namespace PSContainer.Engine.Registry;

/// <summary>Choices for <see cref="RegistryClient.PushBlobAsync"/>.</summary>
internal sealed class BlobUploadOptions
{
    /// <summary>A repository on the same registry that has the blob; the registry is asked to mount it from there.</summary>
    public string? MountFrom { get; init; }

    /// <summary>When set, blobs larger than this go up in PATCH chunks of this size instead of one PUT.</summary>
    public int? ChunkSize { get; init; }
}
