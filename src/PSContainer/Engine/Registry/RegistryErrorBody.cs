using System.Text.Json.Serialization;

namespace PSContainer.Engine.Registry;

/// <summary>The error document a registry returns: <c>{"errors":[{"code":..., "message":...}]}</c>.</summary>
internal sealed class RegistryErrorBody
{
    /// <summary>The errors.</summary>
    [JsonPropertyName("errors")] public List<RegistryErrorEntry>? Errors { get; set; }
}
