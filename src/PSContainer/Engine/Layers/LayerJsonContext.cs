using System.Text.Json.Serialization;

namespace PSContainer.Engine.Layers;

/// <summary>Source-generated JSON for layer records.</summary>
/// <remarks>The options every store record is written with: compact, no nulls, enums as strings (a unit test pins them).</remarks>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(LayerRecord))]
[JsonSerializable(typeof(VerifiedBlob))]
internal sealed partial class LayerJsonContext : JsonSerializerContext
{
}
