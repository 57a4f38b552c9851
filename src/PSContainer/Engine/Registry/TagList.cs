using System.Text.Json.Serialization;

namespace PSContainer.Engine.Registry;

/// <summary>One page of <c>/v2/&lt;name&gt;/tags/list</c>.</summary>
internal sealed class TagList
{
    /// <summary>The repository.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>The tags on this page; null when the repository has none.</summary>
    [JsonPropertyName("tags")] public List<string>? Tags { get; set; }
}
