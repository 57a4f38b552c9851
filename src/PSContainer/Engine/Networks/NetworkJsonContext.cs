using System.Text.Json.Serialization;

namespace PSContainer.Engine.Networks;

/// <summary>Source-generated JSON for the network files of the store.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(CniAttachment))]
internal sealed partial class NetworkJsonContext : JsonSerializerContext
{
}
