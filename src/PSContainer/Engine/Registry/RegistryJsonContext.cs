using System.Text.Json.Serialization;

namespace PSContainer.Engine.Registry;

/// <summary>Source-generated JSON for everything the registry client reads and writes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(RegistryErrorBody))]
[JsonSerializable(typeof(TagList))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
