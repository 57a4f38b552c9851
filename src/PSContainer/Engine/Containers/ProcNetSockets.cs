using System.Globalization;
using System.Net;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Reads the kernel's socket tables (<c>/proc/&lt;pid&gt;/net/tcp</c>, <c>tcp6</c>, <c>udp</c>, <c>udp6</c>), which
/// describe the network namespace of the process named: a container's init pid gives the container's sockets.
/// </summary>
internal static class ProcNetSockets
{
    private const string TcpListen = "0A";
    private const string UdpUnconnected = "07";

    /// <summary>The listening TCP sockets and bound, unconnected UDP sockets of a table's text.</summary>
    /// <param name="table">The text of one table.</param>
    /// <param name="protocol">"tcp" or "udp": which state counts as listening.</param>
    public static IEnumerable<ListeningSocket> Parse(string table, string protocol)
    {
        var listening = protocol == "tcp" ? TcpListen : UdpUnconnected;
        foreach (var line in table.Split('\n').Skip(1))
        {
            // "  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 12345 …"
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != listening) continue;
            var local = fields[1].Split(':');
            if (local.Length != 2 || !int.TryParse(local[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var port)) continue;
            if (Address(local[0]) is not { } address) continue;
            // A UDP socket connected to a peer (a DNS client, say) is not waiting for anyone.
            if (protocol == "udp" && fields[2].Split(':') is [_, var remotePort] && remotePort.Trim('0').Length > 0) continue;
            yield return new ListeningSocket
            {
                Protocol = protocol,
                Address = address.ToString(),
                Port = port,
                Inode = long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode) ? inode : 0,
            };
        }
    }

    /// <summary>
    /// An address as the kernel prints it: the 32-bit words of the address in hex, each in the host's byte
    /// order (so 127.0.0.1 is 0100007F on a little-endian machine).
    /// </summary>
    internal static IPAddress? Address(string hex)
    {
        if (hex.Length is not (8 or 32)) return null;
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.AsSpan(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return null;
            BitConverter.GetBytes(value).CopyTo(bytes, word * 4);
        }
        return new IPAddress(bytes);
    }

    /// <summary>The listening sockets in the network namespace of <paramref name="pid"/>, read from <paramref name="procRoot"/>.</summary>
    public static List<ListeningSocket> Read(string procRoot, int pid)
    {
        var list = new List<ListeningSocket>();
        foreach (var (file, protocol) in new[] { ("tcp", "tcp"), ("tcp6", "tcp"), ("udp", "udp"), ("udp6", "udp") })
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "net", file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No IPv6 in the kernel, or the process ended: nothing listens there.
                continue;
            }
            list.AddRange(Parse(text, protocol));
        }
        return list;
    }

    /// <summary>The socket inodes each process holds open: <c>/proc/&lt;pid&gt;/fd/*</c> links read "socket:[inode]".</summary>
    public static Dictionary<long, int> Owners(string procRoot, IEnumerable<int> pids)
    {
        var owners = new Dictionary<long, int>();
        foreach (var pid in pids)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                        owners.TryAdd(inode, pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was looked at.
            }
        }
        return owners;
    }
}
