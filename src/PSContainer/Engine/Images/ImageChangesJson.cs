using System.Text.Json.Serialization;

namespace PSContainer.Engine.Images;

/// <summary>Source-generated JSON for exec-form instruction arguments.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class ImageChangesJson : JsonSerializerContext
{
}
