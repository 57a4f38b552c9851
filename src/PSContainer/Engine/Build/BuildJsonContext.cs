using System.Text.Json.Serialization;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>Source-generated JSON for the build cache.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildCacheRecord))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(Dictionary<string, object>))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
