using System.Net;
using System.Net.Sockets;

namespace PSContainer.Engine.Networks;

/// <summary>
/// Host port checks for published ports. The portmap plugin only writes DNAT rules and binds nothing, so a port a
/// host program already listens on would silently be taken from it; the engine checks by binding first.
/// </summary>
internal static class HostPorts
{
    /// <summary>Whether nothing on the host holds <paramref name="port"/> (SCTP is not checked).</summary>
    public static bool IsFree(string hostIp, int port, string protocol)
    {
        if (protocol == "sctp") return true;
        try
        {
            using var socket = Bind(hostIp, port, protocol);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A port the kernel considers free for <paramref name="protocol"/>, not one of <paramref name="avoid"/>.</summary>
    public static int Random(string hostIp, string protocol, ISet<int> avoid)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // SCTP has no socket support here; a free TCP port is as good a guess as any.
            using var socket = Bind(hostIp, 0, protocol == "udp" ? "udp" : "tcp");
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (!avoid.Contains(port)) return port;
        }
        throw new EngineException("NoFreeHostPort", EngineErrorKind.InvalidState, "No free host port was found for a published port.");
    }

    private static Socket Bind(string hostIp, int port, string protocol)
    {
        var address = hostIp.Length == 0 ? IPAddress.Any : IPAddress.Parse(hostIp);
        var socket = protocol == "udp"
            ? new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
