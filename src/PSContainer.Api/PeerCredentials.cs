using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace PSContainer.Api;

/// <summary>
/// Who may talk to the unix socket: root, and members of the configured group. The socket file's mode
/// (0660, root:group) already keeps others out; this checks the peer's credentials (SO_PEERCRED) again at
/// accept, so a socket passed on or a loosened mode grants nothing. A refused peer gets a 403 and the
/// connection is closed before any request is read.
/// </summary>
internal sealed class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private readonly uint? _groupId;
    private readonly string? _groupName;

    public PeerCredentials(string? group)
    {
        _groupName = group;
        if (group is not null) _groupId = GroupId(group) ?? throw new ArgumentException($"No group named '{group}' in /etc/group.");
    }

    /// <summary>The gid of the socket's group, if one is configured.</summary>
    public uint? GroupId() => _groupId;

    /// <summary>Kestrel connection middleware enforcing the check.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || socket.AddressFamily != AddressFamily.Unix || IsAllowed(socket))
        {
            await next(connection);
            return;
        }
        var body = """{"message":"permission denied: only root and the socket's group may use the PSContainer API"}""";
        var response = $"HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        // Completing the output (rather than aborting) lets the transport send the answer before it closes.
        await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes(response));
        await connection.Transport.Output.CompleteAsync();
    };

    private bool IsAllowed(Socket socket)
    {
        Span<byte> cred = stackalloc byte[12];
        if (socket.GetRawSocketOption(SolSocket, SoPeerCred, cred) < 12) return false;
        var uid = MemoryMarshal.Read<uint>(cred[4..]);
        var gid = MemoryMarshal.Read<uint>(cred[8..]);
        if (uid == 0) return true;
        if (_groupId is not { } allowed) return false;
        return gid == allowed || IsMember(uid, allowed);
    }

    // A peer's supplementary groups are not in SO_PEERCRED: read them from /etc/group by user name.
    private bool IsMember(uint uid, uint groupId)
    {
        var user = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 2 && f[2] == uid.ToString(System.Globalization.CultureInfo.InvariantCulture))?[0];
        if (user is null) return false;
        var entry = File.ReadLines("/etc/group").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 3 && f[0] == _groupName);
        return entry is not null && entry[2] == groupId.ToString(System.Globalization.CultureInfo.InvariantCulture) && entry[3].Split(',').Contains(user);
    }

    private static uint? GroupId(string group)
    {
        if (uint.TryParse(group, out var numeric)) return numeric;
        foreach (var line in File.ReadLines("/etc/group"))
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && fields[0] == group && uint.TryParse(fields[2], out var gid)) return gid;
        }
        return null;
    }
}
