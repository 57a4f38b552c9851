using System.Globalization;

namespace PSContainer.Api;

/// <summary>systemd socket activation: the listening socket handed over as fd 3 (LISTEN_FDS, LISTEN_PID).</summary>
internal static class SocketActivation
{
    private const ulong FirstFd = 3;

    public static ulong? ListenFd()
    {
        if (Environment.GetEnvironmentVariable("LISTEN_PID") is not { } pid || pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) return null;
        if (Environment.GetEnvironmentVariable("LISTEN_FDS") is not { } count || !int.TryParse(count, out var n) || n < 1) return null;
        return FirstFd;
    }
}
