using System.Text.Json.Serialization;

namespace PSContainer.Engine.Runtime;

/// <summary>Source-generated JSON for seccomp profile documents.</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(SeccompProfileDocument))]
internal sealed partial class SeccompJsonContext : JsonSerializerContext;
