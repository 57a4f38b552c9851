using System.Text;

namespace PSContainer.Engine.Networks;

/// <summary>
/// One network's file in aardvark-dns's configuration directory, in the format netavark writes: the first line
/// is the addresses to listen on (the network's gateways, comma-separated), then, after a space, the servers
/// to forward other names to when the network has its own; every further line is one container:
/// "id ipv4s ipv6s names", names being its name, aliases and short id.
/// </summary>
internal static class AardvarkConfig
{
    /// <summary>The file's text, or null when no peer has an address on the network (the file goes then).</summary>
    public static string? For(string network, IReadOnlyList<string> gateways, IReadOnlyList<string> dnsServers, IEnumerable<NetworkPeer> peers)
    {
        var text = new StringBuilder().AppendJoin(',', gateways);
        if (dnsServers.Count > 0) text.Append(' ').AppendJoin(',', dnsServers);
        text.Append('\n');
        var any = false;
        foreach (var peer in peers.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var endpoints = peer.Endpoints.Where(e => e.Network == network && e.IPAddress is not null).ToList();
            if (endpoints.Count == 0) continue;
            var v4 = endpoints.Select(e => e.IPAddress!).Where(ip => !ip.Contains(':'));
            var v6 = endpoints.Select(e => e.IPAddress!).Where(ip => ip.Contains(':'));
            var names = new[] { peer.Name }.Concat(endpoints.SelectMany(e => e.Aliases)).Append(peer.Id[..12])
                .Where(n => n.Length > 0).Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal);
            text.Append(peer.Id).Append(' ').AppendJoin(',', v4).Append(' ').AppendJoin(',', v6).Append(' ').AppendJoin(',', names).Append('\n');
            any = true;
        }
        return any ? text.ToString() : null;
    }
}
