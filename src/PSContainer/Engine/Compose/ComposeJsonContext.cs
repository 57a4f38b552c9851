using System.Text.Json.Serialization;

namespace PSContainer.Engine.Compose;

/// <summary>The compose model as JSON with Compose's key names (snake_case), for config hashes and YAML output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ComposeService))]
[JsonSerializable(typeof(ComposeNetwork))]
[JsonSerializable(typeof(ComposeVolume))]
internal sealed partial class ComposeJsonContext : JsonSerializerContext;
