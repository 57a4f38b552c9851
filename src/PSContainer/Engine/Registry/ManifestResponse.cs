using System.Text.Json;
using PSContainer.Engine.Content;

namespace PSContainer.Engine.Registry;

/// <summary>A manifest exactly as the registry sent it, with its verified digest.</summary>
internal sealed class ManifestResponse
{
    /// <summary>Creates the response.</summary>
    public ManifestResponse(byte[] content, string mediaType, Digest digest)
    {
        Content = content;
        MediaType = mediaType;
        Digest = digest;
    }

    /// <summary>The raw bytes; store these, never a re-serialization, or the digest changes.</summary>
    public byte[] Content { get; }

    /// <summary>One of the four <see cref="MediaTypes.Manifests"/>.</summary>
    public string MediaType { get; }

    /// <summary>The sha256 of <see cref="Content"/>.</summary>
    public Digest Digest { get; }

    /// <summary>Whether this lists per-platform manifests.</summary>
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>A descriptor for this manifest.</summary>
    public Descriptor ToDescriptor() => new() { MediaType = MediaType, Digest = Digest, Size = Content.Length };

    /// <summary>Parses the content as an image manifest.</summary>
    public ImageManifest ParseManifest() =>
        IsIndex ? throw RegistryErrors.UnsupportedMediaType(Digest.ToString(), MediaType) : Parse(RegistryJsonContext.Default.ImageManifest);

    /// <summary>Parses the content as an index.</summary>
    public ImageIndex ParseIndex() =>
        !IsIndex ? throw RegistryErrors.UnsupportedMediaType(Digest.ToString(), MediaType) : Parse(RegistryJsonContext.Default.ImageIndex);

    private T Parse<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(Content, type) ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            throw RegistryErrors.InvalidManifest(Digest.ToString(), e);
        }
    }
}
