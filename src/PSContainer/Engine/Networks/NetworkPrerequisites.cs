using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Networks;

/// <summary>What networking needs from the host: the CNI plugins, iproute2 and iptables.</summary>
internal static class NetworkPrerequisites
{
    /// <summary>The plugins the engine's network configuration lists and namespaces use.</summary>
    public static readonly string[] Plugins = ["bridge", "host-local", "portmap", "firewall", "loopback"];

    /// <summary>Whether everything is there, and what is missing or which plugin directory and version serve.</summary>
    public static (bool Passed, string Detail) Check()
    {
        var cni = new CniExecutor();
        var missing = Plugins.Where(p => cni.Find(p) is null)
            .Concat(new[] { "ip", "iptables" }.Where(t => ProcessRunner.Which(t) is null)).ToList();
        if (missing.Count > 0)
            return (false, $"missing {string.Join(", ", missing)}: apt-get install containernetworking-plugins iproute2 iptables");
        try
        {
            var versions = cni.SupportedVersions("bridge");
            return versions.Contains(CniConfig.Version)
                ? (true, $"CNI plugins in {Path.GetDirectoryName(cni.Find("bridge"))} (protocol {CniConfig.Version}), ip, iptables")
                : (false, $"the CNI plugins speak {string.Join(", ", versions)}, not {CniConfig.Version}");
        }
        catch (EngineException ex)
        {
            return (false, ex.Message);
        }
    }
}
