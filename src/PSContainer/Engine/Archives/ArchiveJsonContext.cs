using System.Text.Json.Serialization;

namespace PSContainer.Engine.Archives;

/// <summary>Source-generated JSON for the archive-only documents; manifests and indexes use the registry's models.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<DockerArchiveManifest>))]
[JsonSerializable(typeof(OciLayout))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
