using System.Text.Json.Nodes;

namespace PSContainer.Engine.Networks;

/// <summary>The parts of a CNI success result (spec section 5) the engine uses: interfaces and addresses.</summary>
internal sealed class CniResult
{
    public List<CniInterface> Interfaces { get; } = new();
    public List<CniIpConfig> Ips { get; } = new();

    /// <summary>Reads a result of any version from 0.3.0 on (0.3.x and 0.4.0 add an ignored "version" per address).</summary>
    public static CniResult Parse(JsonObject result)
    {
        var parsed = new CniResult();
        if (result["interfaces"] is JsonArray interfaces)
        {
            foreach (var node in interfaces.OfType<JsonObject>())
                parsed.Interfaces.Add(new CniInterface((string?)node["name"] ?? "", (string?)node["mac"], (string?)node["sandbox"]));
        }
        if (result["ips"] is JsonArray ips)
        {
            foreach (var node in ips.OfType<JsonObject>())
            {
                if ((string?)node["address"] is not { } address) continue;
                parsed.Ips.Add(new CniIpConfig(address, (string?)node["gateway"], node["interface"] is JsonValue v && v.TryGetValue<int>(out var index) ? index : null));
            }
        }
        return parsed;
    }

    /// <summary>The container-side interface called <paramref name="ifName"/>, if the result names it.</summary>
    public CniInterface? ContainerInterface(string ifName) =>
        Interfaces.FirstOrDefault(i => i.Name == ifName && !string.IsNullOrEmpty(i.Sandbox));

    /// <summary>
    /// The IPv4 address of the container's <paramref name="ifName"/>: the one whose interface index points at it,
    /// else the first IPv4 address (results from older plugins may omit the index).
    /// </summary>
    public CniIpConfig? Address(string ifName)
    {
        var v4 = Ips.Where(ip => Ipv4Subnet.TryParseAddress(ip.Ip, out _)).ToList();
        return v4.FirstOrDefault(ip => ip.Interface is { } i && i >= 0 && i < Interfaces.Count && Interfaces[i].Name == ifName && !string.IsNullOrEmpty(Interfaces[i].Sandbox))
            ?? v4.FirstOrDefault();
    }
}
