using System.Text.Json.Serialization;

namespace PSContainer.Engine.Images;

/// <summary>Source-generated JSON for image records and the tag index.</summary>
/// <remarks>The options every store record is written with: compact, no nulls, enums as strings (a unit test pins them).</remarks>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ImageJsonContext : JsonSerializerContext
{
}
