using System.Text.Json.Serialization;

namespace PSContainer.Engine.Registry;

/// <summary>An OCI image index or Docker manifest list: one manifest per platform.</summary>
internal sealed class ImageIndex
{
    /// <summary>Always 2.</summary>
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = 2;

    /// <summary>The index's own media type.</summary>
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }

    /// <summary>The artifact type, for artifacts that are not images.</summary>
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; set; }

    /// <summary>The listed manifests.</summary>
    [JsonPropertyName("manifests")] public List<Descriptor> Manifests { get; set; } = [];

    /// <summary>The manifest this one refers to.</summary>
    [JsonPropertyName("subject")] public Descriptor? Subject { get; set; }

    /// <summary>Arbitrary metadata.</summary>
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}
