using System.Text.Json.Serialization;
using PSContainer.Engine.Content;

namespace PSContainer.Engine.Registry;

/// <summary>An OCI content descriptor: what a manifest or index points at.</summary>
internal sealed record Descriptor
{
    /// <summary>The media type of the referenced content.</summary>
    [JsonPropertyName("mediaType")] public string MediaType { get; init; } = "";

    /// <summary>The digest of the referenced content.</summary>
    [JsonPropertyName("digest"), JsonConverter(typeof(DigestJsonConverter))] public Digest Digest { get; init; }

    /// <summary>The size of the referenced content in bytes.</summary>
    [JsonPropertyName("size")] public long Size { get; init; }

    /// <summary>Other places the content may be fetched from (foreign layers).</summary>
    [JsonPropertyName("urls")] public List<string>? Urls { get; init; }

    /// <summary>Arbitrary metadata.</summary>
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; init; }

    /// <summary>The platform of a manifest listed in an index.</summary>
    [JsonPropertyName("platform")] public Platform? Platform { get; init; }

    /// <summary>The artifact type, for artifacts that are not images.</summary>
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; init; }
}
