using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace PSContainer.Engine.Compose;

/// <summary>Writes a <see cref="ComposeModel"/> back as a compose file (what <c>docker compose config</c> prints).</summary>
internal static class ComposeYamlWriter
{
    public static string Write(ComposeModel project)
    {
        var document = new Dictionary<string, object?> { ["name"] = project.Name };
        var services = new Dictionary<string, object?>();
        foreach (var service in project.Services)
        {
            var node = JsonSerializer.SerializeToNode(service, ComposeJsonContext.Default.ComposeService)!.AsObject();
            node.Remove("name");
            services[service.Name] = Plain(node);
        }
        document["services"] = services;
        if (project.Networks.Count > 0)
            document["networks"] = project.Networks.ToDictionary(n => n.Key, n => Section(JsonSerializer.SerializeToNode(n, ComposeJsonContext.Default.ComposeNetwork)!.AsObject()));
        if (project.Volumes.Count > 0)
            document["volumes"] = project.Volumes.ToDictionary(v => v.Key, v => Section(JsonSerializer.SerializeToNode(v, ComposeJsonContext.Default.ComposeVolume)!.AsObject()));
        return new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(document);
    }

    /// <summary>A top-level network or volume: its key is the mapping's key; false flags say nothing.</summary>
    private static object? Section(JsonObject node)
    {
        node.Remove("key");
        foreach (var flag in new[] { "external", "internal" })
            if (node[flag] is JsonValue v && v.GetValueKind() == JsonValueKind.False) node.Remove(flag);
        return Plain(node);
    }

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray array => array.Select(Plain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetValue<long>(out var whole) ? whole : value.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
