using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Networks;

/// <summary>
/// Persistent network namespaces, as <c>ip netns</c> makes them: a namespace bind-mounted on /run/netns/&lt;name&gt;
/// lives without any process in it, so the CNI plugins can set it up before the container starts and tear it
/// down after the container is gone.
/// </summary>
internal static class NetNamespace
{
    /// <summary>Where iproute2 keeps named namespaces.</summary>
    public const string Dir = "/run/netns";

    /// <summary>The namespace name of a container: derived from its id, so cleanup finds it without any record.</summary>
    public static string NameFor(string containerId) => "pscontainer-" + containerId[..12];

    /// <summary>The path a namespace name is mounted on.</summary>
    public static string PathOf(string name) => Path.Combine(Dir, name);

    /// <summary>Creates the namespace, replacing a leftover of the same name (a crash may leave one with interfaces in it).</summary>
    public static string Create(string name)
    {
        var path = PathOf(name);
        if (File.Exists(path)) Delete(name);
        Run("add", name);
        return path;
    }

    /// <summary>Removes the namespace; nothing happens when it does not exist.</summary>
    public static void Delete(string name)
    {
        if (!File.Exists(PathOf(name))) return;
        Run("delete", name);
    }

    private static void Run(string verb, string name)
    {
        var ip = ProcessRunner.Which("ip") ?? throw new EngineException("IpNotFound", EngineErrorKind.NotInstalled,
            "The ip command was not found. Install it: apt-get install iproute2.");
        var result = ProcessRunner.Run(ip, ["netns", verb, name]);
        if (result.ExitCode != 0)
            throw new EngineException("NetworkNamespaceFailed", EngineErrorKind.ExternalFailure,
                $"ip netns {verb} {name} failed: {(result.StdErr + result.StdOut).Trim()}", name);
    }
}
