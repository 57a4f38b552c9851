using System.Text.Json.Serialization;

namespace PSContainer.Engine.Volumes;

/// <summary>Source-generated JSON for volume records.</summary>
/// <remarks>The options every store record is written with: compact, no nulls, enums as strings (a unit test pins them).</remarks>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(VolumeRecord))]
internal sealed partial class VolumeJsonContext : JsonSerializerContext
{
}
