using System.Text.Json.Serialization;

namespace PSContainer.Engine.Oci;

/// <summary>Source-generated JSON for the OCI runtime spec (config.json, exec process files) and image configuration.</summary>
/// <remarks>The options every store record is written with: compact, no nulls, enums as strings (a unit test pins them).</remarks>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(OciSpec))]
[JsonSerializable(typeof(OciResources))]
[JsonSerializable(typeof(OciImageConfig))]
internal sealed partial class OciJsonContext : JsonSerializerContext
{
}
