using System.Globalization;
using System.Text.Json.Nodes;

namespace PSContainer.Engine.Networks;

/// <summary>
/// Writes network configuration lists and derives each plugin's request from them, as the CNI specification's
/// "Deriving request configuration from plugin configuration" says.
/// </summary>
internal static class CniConfig
{
    /// <summary>
    /// The protocol version of the lists we write: the newest that Debian's containernetworking-plugins (1.1)
    /// speak; they report "supportedVersions" up to 1.0.0.
    /// </summary>
    public const string Version = "1.0.0";

    /// <summary>The top-level key holding what only PSContainer reads (id, creation time, labels); plugins never see it.</summary>
    public const string MetadataKey = "pscontainer";

    /// <summary>The capability the portmap plugin takes published ports through.</summary>
    public const string PortMappingsCapability = "portMappings";

    /// <summary>
    /// A bridge network as Podman's CNI backend writes one: bridge with host-local addresses (leases under
    /// <paramref name="ipamDataDir"/>, so they belong to the store), then portmap for published ports, then
    /// firewall so that forwarding is allowed even where the FORWARD policy is DROP. An internal network gets
    /// neither masquerading nor a default route.
    /// </summary>
    public static JsonObject BridgeNetwork(string name, string id, DateTimeOffset created, string bridge, Ipv4Subnet subnet, string gateway,
        bool isInternal, IReadOnlyDictionary<string, string> labels, string ipamDataDir, IReadOnlyList<string>? dnsServers = null)
    {
        var ipam = new JsonObject
        {
            ["type"] = "host-local",
            ["dataDir"] = ipamDataDir,
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = subnet.ToString(), ["gateway"] = gateway })),
        };
        if (!isInternal) ipam["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" });
        var labelObject = new JsonObject();
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal)) labelObject[key] = value;
        var metadata = new JsonObject
        {
            ["id"] = id,
            ["created"] = created.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            ["internal"] = isInternal,
            ["labels"] = labelObject,
        };
        if (dnsServers is { Count: > 0 }) metadata["dnsServers"] = new JsonArray(dnsServers.Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
        return new JsonObject
        {
            ["cniVersion"] = Version,
            ["name"] = name,
            ["plugins"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "bridge",
                    ["bridge"] = bridge,
                    ["isGateway"] = true,
                    ["ipMasq"] = !isInternal,
                    ["hairpinMode"] = true,
                    ["ipam"] = ipam,
                },
                new JsonObject { ["type"] = "portmap", ["capabilities"] = new JsonObject { [PortMappingsCapability] = true } },
                new JsonObject { ["type"] = "firewall" }),
            [MetadataKey] = metadata,
        };
    }

    /// <summary>
    /// The list one attachment runs, from a network's list: the bridge plugin without ipMasq, and portmap only
    /// when ports are published; the firewall plugin is left out, because the engine adds the forwarding and
    /// masquerading rules itself in one transaction (<see cref="ContainerRules"/>). Other plugins stay as they
    /// are. Returns whether the network wanted masquerading.
    /// </summary>
    public static (JsonObject Config, bool Masquerade) ForAttachment(JsonObject networkConfig, bool publishesPorts)
    {
        var config = (JsonObject)networkConfig.DeepClone();
        var masquerade = false;
        if (config["plugins"] is JsonArray plugins)
        {
            foreach (var plugin in plugins.OfType<JsonObject>().ToList())
            {
                switch ((string?)plugin["type"])
                {
                    case "bridge":
                        masquerade = plugin["ipMasq"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;
                        plugin["ipMasq"] = false;
                        break;
                    case "firewall":
                    case "portmap" when !publishesPorts:
                        plugins.Remove(plugin);
                        break;
                }
            }
        }
        return (config, masquerade);
    }

    /// <summary>
    /// The request one plugin gets on stdin: its configuration with <c>cniVersion</c> and <c>name</c> from the list,
    /// <c>runtimeConfig</c> holding the capability arguments it declares, <c>prevResult</c> when given, and
    /// no <c>capabilities</c>.
    /// </summary>
    public static JsonObject PluginRequest(JsonObject plugin, string networkName, string cniVersion, JsonObject? prevResult, JsonObject? capabilityArgs)
    {
        var request = (JsonObject)plugin.DeepClone();
        request["cniVersion"] = cniVersion;
        request["name"] = networkName;
        request.Remove("capabilities");
        if (plugin["capabilities"] is JsonObject capabilities && capabilityArgs is not null)
        {
            var runtimeConfig = request["runtimeConfig"] as JsonObject ?? new JsonObject();
            foreach (var (key, enabled) in capabilities)
            {
                if (enabled is JsonValue v && v.TryGetValue<bool>(out var on) && on && capabilityArgs[key] is { } arg)
                    runtimeConfig[key] = arg.DeepClone();
            }
            if (runtimeConfig.Count > 0) request["runtimeConfig"] = runtimeConfig;
        }
        if (prevResult is not null) request["prevResult"] = prevResult.DeepClone();
        return request;
    }

    /// <summary>The runtime's capability arguments for published ports, in the portmap plugin's form.</summary>
    public static JsonObject? PortMappingArgs(IReadOnlyList<PortMapping> ports)
    {
        if (ports.Count == 0) return null;
        var list = new JsonArray();
        foreach (var port in ports)
        {
            var entry = new JsonObject { ["hostPort"] = port.HostPort, ["containerPort"] = port.ContainerPort, ["protocol"] = port.Protocol };
            if (port.HostIp.Length > 0) entry["hostIP"] = port.HostIp;
            list.Add(entry);
        }
        return new JsonObject { [PortMappingsCapability] = list };
    }
}
