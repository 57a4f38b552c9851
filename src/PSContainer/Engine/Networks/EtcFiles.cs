using System.Text;

namespace PSContainer.Engine.Networks;

/// <summary>The contents of a container's /etc/hosts and /etc/resolv.conf.</summary>
internal static class EtcFiles
{
    private const string SystemdResolvedUpstream = "/run/systemd/resolve/resolv.conf";
    private const string Loopback6 = "::1\tlocalhost ip6-localhost ip6-loopback\n";

    /// <summary>The hosts file of a container with loopback only: the hostname resolves to 127.0.0.1.</summary>
    public static string LoopbackHosts(string hostname) => $"127.0.0.1\tlocalhost {hostname}\n" + Loopback6;

    /// <summary>
    /// The hosts file of a networked container: localhost, its own addresses (hostname, name and aliases), then
    /// the peers of its user networks. A name is listed once, at its first address, so a peer can never shadow
    /// the container's own names.
    /// </summary>
    public static string Hosts(IReadOnlyList<HostsEntry> own, IReadOnlyList<HostsEntry> peers)
    {
        var text = new StringBuilder("127.0.0.1\tlocalhost\n").Append(Loopback6);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        foreach (var entry in own.Concat(peers))
        {
            var names = entry.Names.Where(n => n.Length > 0 && seen.Add(n)).ToList();
            if (names.Count > 0) text.Append(entry.Ip).Append('\t').AppendJoin(' ', names).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// The host's resolv.conf without loopback nameservers, which mean nothing inside the container's own network
    /// namespace (Docker's rule). A host on systemd-resolved (only 127.0.0.53) is read through
    /// <paramref name="upstream"/>, the resolver's list of real servers; when no nameserver is left, Docker's
    /// public defaults are used.
    /// </summary>
    public static string ResolvConf(string host, string? upstream)
    {
        var hostServers = Nameservers(host);
        if (upstream is not null && hostServers.Count > 0 && hostServers.All(IsLoopback)) host = upstream;
        var lines = host.Split('\n').Where(l => !(IsNameserverLine(l, out var server) && IsLoopback(server))).ToList();
        var text = string.Join('\n', lines).TrimEnd('\n');
        if (Nameservers(text).Count == 0)
            text = (text.Length > 0 ? text + "\n" : "") + "nameserver 8.8.8.8\nnameserver 8.8.4.4";
        return text + "\n";
    }

    /// <summary>
    /// The resolv.conf of a container whose networks have a DNS server: <paramref name="nameservers"/> (its
    /// networks' gateways), with the host's search and options lines kept.
    /// </summary>
    public static string ResolvConfVia(IReadOnlyList<string> nameservers, string host)
    {
        var lines = host.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !IsNameserverLine(l, out _)).ToList();
        return string.Concat(lines.Concat(nameservers.Select(s => "nameserver " + s)).Select(l => l + "\n"));
    }

    /// <summary>The host's resolv.conf as a networked container gets it (see <see cref="ResolvConf"/>).</summary>
    public static string HostResolvConf() =>
        ResolvConf(ReadOr("/etc/resolv.conf", ""), File.Exists(SystemdResolvedUpstream) ? File.ReadAllText(SystemdResolvedUpstream) : null);

    /// <summary>The host's hostname.</summary>
    public static string HostHostname() => File.ReadAllText("/proc/sys/kernel/hostname").Trim();

    /// <summary>A file's text, or <paramref name="fallback"/> when it does not exist.</summary>
    public static string ReadOr(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path) : fallback;

    private static List<string> Nameservers(string text) =>
        text.Split('\n').Select(l => IsNameserverLine(l, out var s) ? s : null).OfType<string>().ToList();

    private static bool IsNameserverLine(string line, out string server)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        server = fields.Length >= 2 && fields[0] == "nameserver" ? fields[1] : "";
        return server.Length > 0;
    }

    private static bool IsLoopback(string server) =>
        server.StartsWith("127.", StringComparison.Ordinal) || server == "::1";
}
