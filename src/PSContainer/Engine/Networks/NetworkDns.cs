using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;

namespace PSContainer.Engine.Networks;

/// <summary>
/// The DNS server of the store's networks: one aardvark-dns (Debian's, as netavark drives it) serving every
/// network that has containers, on each network's gateway, port 53. It answers the names and aliases of the
/// containers on the asker's networks and forwards other names to the network's DNS servers or the host's.
/// Each network with containers has a file in the configuration directory; a change rewrites it and sends
/// SIGHUP, and once no file is left the server is stopped: nothing runs for networks without containers.
/// </summary>
internal sealed class NetworkDns
{
    /// <summary>Where Debian installs aardvark-dns (podman's helper directory), then the upstream default.</summary>
    public static readonly string[] ProgramPaths = ["/usr/lib/podman/aardvark-dns", "/usr/libexec/podman/aardvark-dns"];

    private const string PidFileName = "aardvark.pid";
    private readonly string _dir;

    /// <param name="dir">The configuration directory (under the store's run root).</param>
    public NetworkDns(string dir) => _dir = dir;

    /// <summary>The aardvark-dns executable, or null when it is not installed.</summary>
    public static string? Program => ProgramPaths.FirstOrDefault(File.Exists);

    /// <summary>The pid of the running server, or 0.</summary>
    public int ServerPid
    {
        get
        {
            var pidFile = Path.Combine(_dir, PidFileName);
            return File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && pid > 0 && IsAardvark(pid) ? pid : 0;
        }
    }

    /// <summary>The networks that have a file (that is, containers the server answers for).</summary>
    public IReadOnlyList<string> Networks =>
        Directory.Exists(_dir) ? Directory.EnumerateFiles(_dir).Select(Path.GetFileName).OfType<string>().Where(n => n != PidFileName && !n.StartsWith('.')).ToList() : [];

    /// <summary>
    /// Brings the server in line with <paramref name="peers"/> (the containers attached now) on each of
    /// <paramref name="networks"/>: their files are rewritten (or removed, when no peer is on a network left), and
    /// the server is started, reloaded or stopped as needed. Nothing happens when aardvark-dns is not installed.
    /// </summary>
    public void Update(IEnumerable<NetworkDefinition> networks, IReadOnlyList<NetworkPeer> peers)
    {
        if (Program is null) return;
        var changed = false;
        foreach (var network in networks)
        {
            var path = Path.Combine(_dir, network.Name);
            var text = network.Gateway is { } gateway ? AardvarkConfig.For(network.Name, [gateway], network.DnsServers, peers) : null;
            var current = File.Exists(path) ? File.ReadAllText(path) : null;
            if (text == current) continue;
            if (text is null)
            {
                File.Delete(path);
            }
            else
            {
                Directory.CreateDirectory(_dir);
                AtomicFile.WriteAllText(path, text);
            }
            changed = true;
        }
        Sync(changed);
    }

    /// <summary>Removes the files of networks not in <paramref name="keep"/> (after a crash), then syncs the server.</summary>
    public void Prune(IReadOnlySet<string> keep)
    {
        if (Program is null) return;
        var changed = false;
        foreach (var network in Networks.Where(n => !keep.Contains(n)))
        {
            File.Delete(Path.Combine(_dir, network));
            changed = true;
        }
        Sync(changed);
    }

    private void Sync(bool changed)
    {
        var pid = ServerPid;
        if (Networks.Count == 0)
        {
            if (pid > 0) Libc.kill(pid, Signals.SIGTERM);
            if (Directory.Exists(_dir)) File.Delete(Path.Combine(_dir, PidFileName));
        }
        else if (pid == 0)
        {
            // aardvark-dns forks, writes its pid file and returns once the child serves; its output goes to /dev/null.
            var result = ProcessRunner.Run(Program!, ["--config", _dir, "-p", "53", "run"], timeout: TimeSpan.FromSeconds(10));
            if (result.ExitCode != 0)
                throw new EngineException("DnsServerFailed", EngineErrorKind.ExternalFailure, $"aardvark-dns did not start: {(result.StdErr + result.StdOut).Trim()}", _dir);
        }
        else if (changed)
        {
            Libc.kill(pid, Signals.SIGHUP);
        }
    }

    private static bool IsAardvark(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "aardvark-dns";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
