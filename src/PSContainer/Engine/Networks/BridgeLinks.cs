using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Networks;

/// <summary>The Linux bridges of our networks. The bridge plugin creates them on first use but never removes them.</summary>
internal static class BridgeLinks
{
    /// <summary>Whether the bridge exists.</summary>
    public static bool Exists(string name) => Directory.Exists(Path.Combine("/sys/class/net", name));

    /// <summary>Whether the bridge exists with no port left on it.</summary>
    public static bool IsUnused(string name)
    {
        var ports = Path.Combine("/sys/class/net", name, "brif");
        return Directory.Exists(ports) && !Directory.EnumerateFileSystemEntries(ports).Any();
    }

    /// <summary>Deletes the bridge (its address and routes go with it); nothing happens when it is absent.</summary>
    public static void Delete(string name)
    {
        if (!Exists(name)) return;
        var ip = ProcessRunner.Which("ip") ?? throw new EngineException("IpNotFound", EngineErrorKind.NotInstalled,
            "The ip command was not found. Install it: apt-get install iproute2.");
        var result = ProcessRunner.Run(ip, ["link", "delete", name, "type", "bridge"]);
        if (result.ExitCode != 0 && Exists(name))
            throw new EngineException("BridgeDeleteFailed", EngineErrorKind.ExternalFailure, $"ip link delete {name} failed: {(result.StdErr + result.StdOut).Trim()}", name);
    }
}
