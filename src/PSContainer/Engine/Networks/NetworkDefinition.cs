using System.Globalization;
using System.Text.Json.Nodes;

namespace PSContainer.Engine.Networks;

/// <summary>
/// A network as its configuration list on disk describes it. The list is the source of truth: what the
/// bridge plugin and host-local are told is read back from it, so a hand-edited list shows as it is.
/// </summary>
internal sealed class NetworkDefinition
{
    public string Name { get; init; } = "";
    public string Id { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    public bool Internal { get; init; }
    public Dictionary<string, string> Labels { get; init; } = new();

    /// <summary>The Linux bridge the bridge plugin makes, if the list has a bridge plugin.</summary>
    public string? BridgeName { get; init; }

    /// <summary>Where the network's DNS server forwards other names; the host's resolvers when empty.</summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];

    public string? Subnet { get; init; }
    public string? Gateway { get; init; }

    /// <summary>The configuration list itself.</summary>
    public JsonObject Config { get; init; } = new();

    /// <summary>Reads a configuration list; <paramref name="fileName"/> names it when the list does not.</summary>
    public static NetworkDefinition FromConfig(JsonObject config, string fileName)
    {
        var plugins = (config["plugins"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var bridge = plugins.FirstOrDefault(p => (string?)p["type"] == "bridge");
        var range = (bridge?["ipam"]?["ranges"] as JsonArray)?.OfType<JsonArray>().FirstOrDefault()?.OfType<JsonObject>().FirstOrDefault();
        var meta = config[CniConfig.MetadataKey] as JsonObject;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (meta?["labels"] is JsonObject labelObject)
            foreach (var (key, value) in labelObject) labels[key] = value?.ToString() ?? "";
        return new NetworkDefinition
        {
            Name = (string?)config["name"] ?? fileName,
            Id = (string?)meta?["id"] ?? "",
            Created = DateTimeOffset.TryParse((string?)meta?["created"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : default,
            Internal = meta?["internal"] is JsonValue v && v.TryGetValue<bool>(out var isInternal) && isInternal,
            Labels = labels,
            DnsServers = (meta?["dnsServers"] as JsonArray)?.Select(s => (string?)s).OfType<string>().ToList() ?? [],
            BridgeName = (string?)bridge?["bridge"],
            Subnet = (string?)range?["subnet"] ?? (string?)bridge?["ipam"]?["subnet"],
            Gateway = (string?)range?["gateway"] ?? (string?)bridge?["ipam"]?["gateway"],
            Config = config,
        };
    }
}
