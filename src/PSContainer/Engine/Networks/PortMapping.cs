using System.Globalization;
using System.Net;

namespace PSContainer.Engine.Networks;

/// <summary>A published port: traffic to <see cref="HostIp"/>:<see cref="HostPort"/> goes to the container's <see cref="ContainerPort"/>.</summary>
public sealed class PortMapping
{
    /// <summary>The host address it listens on; empty for every address.</summary>
    public string HostIp { get; init; } = "";

    /// <summary>The host port; 0 until a random one is chosen at start.</summary>
    public int HostPort { get; init; }

    /// <summary>The port inside the container.</summary>
    public int ContainerPort { get; init; }

    /// <summary>"tcp", "udp" or "sctp".</summary>
    public string Protocol { get; init; } = "tcp";

    /// <summary>As <c>docker ps</c> shows it: "127.0.0.1:8080->80/tcp", or "80/tcp" before a host port is chosen.</summary>
    public override string ToString()
    {
        if (HostPort == 0) return ContainerPort.ToString(CultureInfo.InvariantCulture) + "/" + Protocol;
        var ip = HostIp.Length == 0 ? "0.0.0.0" : HostIp.Contains(':') ? "[" + HostIp + "]" : HostIp;
        return string.Create(CultureInfo.InvariantCulture, $"{ip}:{HostPort}->{ContainerPort}/{Protocol}");
    }

    /// <summary>
    /// Parses Docker's -p syntax, <c>[[hostIp:][hostPort]:]containerPort[/protocol]</c>, where ports may be
    /// ranges ("8000-8001:80-81") of equal length; a missing host port means a random one.
    /// </summary>
    public static List<PortMapping> Parse(string text)
    {
        var spec = text.Trim();
        var protocol = "tcp";
        var slash = spec.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..].ToLowerInvariant();
            spec = spec[..slash];
            if (protocol is not ("tcp" or "udp" or "sctp")) throw Invalid(text, $"unknown protocol '{protocol}' (use tcp, udp or sctp)");
        }
        var hostIp = "";
        if (spec.StartsWith('['))
        {
            var close = spec.IndexOf(']');
            if (close < 0 || close + 1 >= spec.Length || spec[close + 1] != ':') throw Invalid(text, "an IPv6 host address needs the form [address]:hostPort:containerPort");
            hostIp = spec[1..close];
            spec = spec[(close + 2)..];
            if (!spec.Contains(':')) throw Invalid(text, "a host address needs a host port part, such as [::1]::80");
        }
        var parts = spec.Split(':');
        if (hostIp.Length > 0 && parts.Length != 2 || parts.Length > 3) throw Invalid(text, "too many ':' parts");
        if (parts.Length == 3) hostIp = parts[0];
        if (hostIp.Length > 0 && !IPAddress.TryParse(hostIp, out _)) throw Invalid(text, $"'{hostIp}' is not an IP address");
        var containerPorts = Range(parts[^1], text, allowZero: false) ?? throw Invalid(text, "the container port is missing");
        var hostPorts = parts.Length > 1 ? Range(parts[^2], text, allowZero: true) : null;
        if (hostPorts is not null && hostPorts.Value.Count != containerPorts.Count)
            throw Invalid(text, "the host and container port ranges differ in length");
        var list = new List<PortMapping>();
        for (var i = 0; i < containerPorts.Count; i++)
        {
            list.Add(new PortMapping
            {
                HostIp = hostIp,
                HostPort = hostPorts is { } h && h.First != 0 ? h.First + i : 0,
                ContainerPort = containerPorts.First + i,
                Protocol = protocol,
            });
        }
        return list;
    }

    /// <summary>Parses an image's EXPOSE key ("80/tcp", "53/udp", "8080") into a mapping to a random host port.</summary>
    public static PortMapping FromExposed(string exposed)
    {
        var parsed = Parse(exposed);
        if (parsed.Count != 1 || parsed[0].HostPort != 0 || parsed[0].HostIp.Length != 0)
            throw Invalid(exposed, "an exposed port is one port number with an optional protocol");
        return parsed[0];
    }

    private static (int First, int Count)? Range(string text, string whole, bool allowZero)
    {
        if (text.Length == 0) return null;
        var dash = text.IndexOf('-');
        var first = Port(dash < 0 ? text : text[..dash], whole, allowZero);
        var last = dash < 0 ? first : Port(text[(dash + 1)..], whole, allowZero);
        if (last < first) throw Invalid(whole, $"the range '{text}' runs backwards");
        return (first, last - first + 1);
    }

    private static int Port(string text, string whole, bool allowZero)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535 || (port == 0 && !allowZero))
            throw Invalid(whole, $"'{text}' is not a port number (1-65535)");
        return port;
    }

    private static EngineException Invalid(string text, string reason) =>
        new("InvalidPortMapping", EngineErrorKind.InvalidArgument, $"Invalid port mapping '{text}': {reason}.", text);

    /// <summary>
    /// Published ports as a table shows them, compacted as <c>docker ps</c> does: consecutive ports of one
    /// address and protocol become a range ("8080-8082->80-82/tcp"); the any-address 0.0.0.0 is left out.
    /// </summary>
    public static IReadOnlyList<string> Compact(IEnumerable<PortMapping> ports)
    {
        var result = new List<string>();
        foreach (var group in ports.GroupBy(p => (p.HostIp, p.Protocol, Published: p.HostPort != 0)))
        {
            var sorted = group.OrderBy(p => p.ContainerPort).ThenBy(p => p.HostPort).ToList();
            var start = 0;
            for (var i = 1; i <= sorted.Count; i++)
            {
                var continues = i < sorted.Count
                    && sorted[i].ContainerPort == sorted[i - 1].ContainerPort + 1
                    && (!group.Key.Published || sorted[i].HostPort == sorted[i - 1].HostPort + 1);
                if (continues) continue;
                result.Add(Range(sorted[start], sorted[i - 1]));
                start = i;
            }
        }
        return result;
    }

    private static string Range(PortMapping first, PortMapping last)
    {
        static string Span(int a, int b) => a == b ? a.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{a}-{b}");
        var container = Span(first.ContainerPort, last.ContainerPort) + "/" + first.Protocol;
        if (first.HostPort == 0) return container;
        var ip = first.HostIp is "" or "0.0.0.0" ? "" : (first.HostIp.Contains(':') ? "[" + first.HostIp + "]" : first.HostIp) + ":";
        return ip + Span(first.HostPort, last.HostPort) + "->" + container;
    }
}
