using System.Text.Json.Serialization;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Volumes;

namespace PSContainer.Engine.Storage;

/// <summary>Source-generated JSON for everything the store and the runtime bundle hold.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(LayerRecord))]
[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(OciImageConfig))]
[JsonSerializable(typeof(OciSpec))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(VolumeRecord))]
[JsonSerializable(typeof(HealthState))]
[JsonSerializable(typeof(OciResources))]
internal sealed partial class StoreJsonContext : JsonSerializerContext
{
}
