using System.Text.Json.Serialization;

namespace PSContainer.Engine.ApiService;

/// <summary>Source-generated JSON for the API servers' registration files.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiServerInfo))]
internal sealed partial class ApiServerJsonContext : JsonSerializerContext
{
}
