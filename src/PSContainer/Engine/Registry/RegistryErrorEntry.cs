using System.Text.Json.Serialization;

namespace PSContainer.Engine.Registry;

/// <summary>One error a registry reports.</summary>
internal sealed class RegistryErrorEntry
{
    /// <summary>The distribution error code, such as MANIFEST_UNKNOWN.</summary>
    [JsonPropertyName("code")] public string? Code { get; set; }

    /// <summary>A human-readable explanation.</summary>
    [JsonPropertyName("message")] public string? Message { get; set; }
}
