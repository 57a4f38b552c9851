using System.Text.Json.Serialization;

namespace PSContainer.Engine.Registry;

/// <summary>An OCI image manifest or Docker schema 2 manifest: one config and its layers.</summary>
internal sealed class ImageManifest
{
    /// <summary>Always 2.</summary>
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = 2;

    /// <summary>The manifest's own media type (optional in OCI, required by Docker).</summary>
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }

    /// <summary>The artifact type, for artifacts that are not images.</summary>
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; set; }

    /// <summary>The image configuration blob.</summary>
    [JsonPropertyName("config")] public Descriptor Config { get; set; } = new();

    /// <summary>The layer blobs, base first.</summary>
    [JsonPropertyName("layers")] public List<Descriptor> Layers { get; set; } = [];

    /// <summary>The manifest this one refers to (signatures, attestations).</summary>
    [JsonPropertyName("subject")] public Descriptor? Subject { get; set; }

    /// <summary>Arbitrary metadata.</summary>
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}
