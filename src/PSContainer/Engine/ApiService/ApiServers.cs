using System.Globalization;
using System.Runtime.InteropServices;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.ApiService;

/// <summary>
/// Starts, finds and stops pscontainer-api servers. A server registers itself in <c>&lt;run root&gt;/api/&lt;pid&gt;.json</c>
/// once it listens and removes the file when it exits; a file whose process is gone is stale and is removed
/// when the servers are listed. The server holds no other state: it works on the store as the cmdlets do.
/// </summary>
internal static class ApiServers
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default socket of a store: /run/pscontainer/docker.sock for the default store.</summary>
    public static string DefaultSocket(StoreLayout layout) => Path.Combine(layout.RunRoot, "docker.sock");

    /// <summary>Where servers register.</summary>
    public static string RegistrationDir(StoreLayout layout) => Path.Combine(layout.RunRoot, "api");

    /// <summary>The registration file of the server with <paramref name="pid"/>.</summary>
    public static string RegistrationFile(StoreLayout layout, int pid) =>
        Path.Combine(RegistrationDir(layout), pid.ToString(CultureInfo.InvariantCulture) + ".json");

    /// <summary>Records a listening server (called by the server itself).</summary>
    public static void Register(StoreLayout layout, ApiServerInfo info)
    {
        Directory.CreateDirectory(RegistrationDir(layout));
        AtomicFile.WriteAllBytes(RegistrationFile(layout, info.Pid), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(info, ApiServerJsonContext.Default.ApiServerInfo));
    }

    /// <summary>Removes a server's registration (called by the server as it exits).</summary>
    public static void Unregister(StoreLayout layout, int pid) => File.Delete(RegistrationFile(layout, pid));

    /// <summary>The servers running over this store; stale registrations are removed.</summary>
    public static List<ApiServerInfo> List(StoreLayout layout)
    {
        var servers = new List<ApiServerInfo>();
        var dir = RegistrationDir(layout);
        if (!Directory.Exists(dir)) return servers;
        foreach (var file in Directory.EnumerateFiles(dir, "*.json"))
        {
            var info = StoreJson.TryRead(file, ApiServerJsonContext.Default.ApiServerInfo);
            if (info is null || !IsServer(info.Pid))
            {
                File.Delete(file);
                continue;
            }
            servers.Add(info);
        }
        return servers.OrderBy(s => s.Started).ToList();
    }

    /// <summary>
    /// Starts a server in the background, in a session of its own so it outlives the caller, and waits until it
    /// listens. Its output goes to <c>&lt;run root&gt;/api/&lt;pid&gt;.log</c>.
    /// </summary>
    public static ApiServerInfo Start(StoreLayout layout, ApiServerLaunch launch)
    {
        var socket = launch.Socket ?? (launch.Listen is null ? DefaultSocket(layout) : null);
        if (socket is not null && List(layout).FirstOrDefault(s => s.Socket == socket) is { } running)
            throw new EngineException("ApiServerRunning", EngineErrorKind.AlreadyExists, $"An API server (pid {running.Pid}) already listens on {socket}.", socket);
        var (muxer, dll) = Program();
        Directory.CreateDirectory(RegistrationDir(layout));
        var arguments = new List<string> { dll, "--root", layout.Root, "--run-root", layout.RunRoot };
        if (socket is not null) arguments.AddRange(["--socket", socket]);
        if (launch.Listen is not null) arguments.AddRange(["--listen", launch.Listen]);
        if (launch.Group is not null) arguments.AddRange(["--group", launch.Group]);
        if (launch.IdleTimeout is { } idle) arguments.AddRange(["--idle-timeout", idle.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        var log = Path.Combine(RegistrationDir(layout), "server.log");

        // sh starts it in a new session with its output in the log and returns at once; the server's pid comes back on stdout.
        var result = ProcessRunner.Run("/bin/sh",
            ["-c", "log=\"$1\"; shift; setsid \"$@\" </dev/null >>\"$log\" 2>&1 & echo $!", "sh", log, muxer, .. arguments],
            timeout: StartTimeout);
        if (result.ExitCode != 0 || !int.TryParse(result.StdOut.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            throw new EngineException("ApiServerStartFailed", EngineErrorKind.ExternalFailure, $"Cannot start the API server: {result.StdErr.Trim()}");

        var deadline = DateTime.UtcNow + StartTimeout;
        var file = RegistrationFile(layout, pid);
        while (DateTime.UtcNow < deadline)
        {
            if (StoreJson.TryRead(file, ApiServerJsonContext.Default.ApiServerInfo) is { } started) return started;
            if (!Libc.ProcessExists(pid))
                throw new EngineException("ApiServerStartFailed", EngineErrorKind.ExternalFailure, $"The API server exited at start: {LastLines(log)}");
            Thread.Sleep(50);
        }
        Libc.kill(pid, Signals.SIGTERM);
        throw new EngineException("ApiServerStartFailed", EngineErrorKind.Timeout, $"The API server did not listen within {StartTimeout.TotalSeconds} s: {LastLines(log)}");
    }

    /// <summary>Asks a server to exit (SIGTERM: it finishes its requests and removes its socket) and waits for it.</summary>
    public static void Stop(StoreLayout layout, ApiServerInfo server, TimeSpan timeout)
    {
        if (!IsServer(server.Pid))
        {
            Unregister(layout, server.Pid);
            return;
        }
        Libc.kill(server.Pid, Signals.SIGTERM);
        var deadline = DateTime.UtcNow + timeout;
        while (IsServer(server.Pid) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        if (IsServer(server.Pid)) Libc.kill(server.Pid, Signals.SIGKILL);
        Unregister(layout, server.Pid);
        if (server.Socket is not null && File.Exists(server.Socket)) File.Delete(server.Socket);
    }

    // A pid is reused after its process ends: only a live process running pscontainer-api counts.
    private static bool IsServer(int pid)
    {
        if (!Libc.ProcessExists(pid)) return false;
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("pscontainer-api", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static (string Muxer, string Dll) Program()
    {
        var dir = Path.GetDirectoryName(typeof(ApiServers).Assembly.Location) ?? "";
        var dll = Path.Combine(dir, "pscontainer-api.dll");
        var muxer = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        if (!File.Exists(dll))
            throw new EngineException("ApiServerNotInstalled", EngineErrorKind.NotInstalled, $"pscontainer-api.dll is not beside the engine in {dir}.", dll);
        if (!File.Exists(muxer))
            throw new EngineException("ApiServerNotInstalled", EngineErrorKind.NotInstalled, "The API server needs the dotnet host, which this PowerShell does not have.", muxer);
        return (muxer, dll);
    }

    private static string LastLines(string log) =>
        File.Exists(log) ? string.Join(' ', File.ReadLines(log).TakeLast(5)).Trim() : "no output";
}
