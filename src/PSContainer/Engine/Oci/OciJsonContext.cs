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
// Config fields typed object (ExposedPorts, Volumes) hold these once read back.
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(Dictionary<string, object>))]
internal sealed partial class OciJsonContext : JsonSerializerContext
{
}
