using System.Text.Json.Serialization;

namespace PSContainer.Engine.Containers;

/// <summary>Source-generated JSON for container records.</summary>
/// <remarks>
/// Compact, no nulls, enums as strings: the exit script greps container records for <c>"Status":"Running"</c>,
/// so every store context keeps these options (a unit test pins them).
/// </remarks>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(HealthState))]
internal sealed partial class ContainerJsonContext : JsonSerializerContext
{
}
