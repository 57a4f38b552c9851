using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// Starts conmon, the per-container monitor that outlives the pwsh session: it runs the OCI runtime's
/// <c>create</c>, holds the container's stdio, writes the k8s-file log, and records the exit code in the
/// exit directory and the persist directory (with an <c>oom</c> marker when the cgroup OOM-killed it).
/// </summary>
internal sealed class Conmon
{
    public Conmon(string path) => PathToBinary = path;

    /// <summary>The conmon binary.</summary>
    public string PathToBinary { get; }

    /// <summary>
    /// Launches conmon and waits until the runtime has created the container (state: created, not started).
    /// Returns the container's init pid.
    /// </summary>
    public int Create(OciRuntime runtime, ConmonLaunch launch, TimeSpan timeout)
    {
        var (syncRead, syncWrite) = Pipe();
        using var reader = new FileStream(new SafeFileHandle(syncRead, ownsHandle: true), FileAccess.Read, 1);
        // conmon writes its cgroup v1 "oom" marker into its working directory: the persist directory.
        var stderr = Spawn(Arguments(runtime, launch), launch.PersistDir, ("_OCI_SYNCPIPE", syncWrite));
        var line = ReadLine(reader, timeout, "conmon did not report the container's creation in time.");
        if (line is null)
            throw new EngineException("ConmonFailed", EngineErrorKind.ExternalFailure,
                $"conmon exited before creating the container: {(stderr.Wait(2000) ? stderr.Result.Trim() : "")}", launch.ContainerId);
        var (pid, message) = ParseSync(line);
        if (pid <= 0)
            throw new EngineException("RuntimeCreateFailed", EngineErrorKind.ExternalFailure,
                $"{runtime.Name} could not create the container: {CleanMessage(message)}", launch.ContainerId);
        return pid;
    }

    /// <summary>
    /// Starts conmon with <paramref name="arguments"/>, handing it the pipe ends in <paramref name="pipes"/>
    /// (each named in its environment by number, as conmon expects) and closing them here. Returns what
    /// conmon writes to stderr before it detaches its standard streams.
    /// </summary>
    internal Task<string> Spawn(IEnumerable<string> arguments, string workingDirectory, params (string Variable, int Fd)[] pipes)
    {
        try
        {
            // Only the named pipe ends may cross the exec.
            foreach (var (_, fd) in pipes) Libc.fcntl(fd, Libc.F_SETFD, 0);
            // conmon goes into a session of its own, so a Ctrl+C or hang-up aimed at the pwsh terminal's
            // process group never reaches it (it would forward the signal to the container).
            var setsid = ProcessRunner.Which("setsid");
            var environment = pipes.ToDictionary(p => p.Variable, p => p.Fd.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return setsid is null
                ? ProcessRunner.Spawn(PathToBinary, arguments, workingDirectory, environment)
                : ProcessRunner.Spawn(setsid, arguments.Prepend(PathToBinary), workingDirectory, environment);
        }
        finally
        {
            foreach (var (_, fd) in pipes) Libc.close(fd);
        }
    }

    /// <summary>A pipe whose ends are closed on exec: (read end, write end).</summary>
    internal static unsafe (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
            throw new IOException("pipe2 failed: " + Libc.ErrorText(Libc.LastError));
        return (fds[0], fds[1]);
    }

    /// <summary>The runtime's arguments before its command, as conmon passes them on.</summary>
    internal static IEnumerable<string> RuntimeArguments(OciRuntime runtime) =>
        runtime.GlobalArgs.Chunk(2).Select(arg => "--runtime-arg=" + arg[0] + "=" + arg[1]);

    private IEnumerable<string> Arguments(OciRuntime runtime, ConmonLaunch launch)
    {
        yield return "--api-version"; yield return "1";
        yield return "-c"; yield return launch.ContainerId;
        yield return "-u"; yield return launch.ContainerId;
        yield return "-n"; yield return launch.Name;
        yield return "-r"; yield return runtime.PathToBinary;
        yield return "-b"; yield return launch.BundleDir;
        yield return "-p"; yield return launch.ContainerPidFile;
        yield return "-P"; yield return launch.ConmonPidFile;
        yield return "-l"; yield return "k8s-file:" + launch.LogPath;
        yield return "--exit-dir"; yield return launch.ExitDir;
        yield return "--persist-dir"; yield return launch.PersistDir;
        yield return "--socket-dir-path"; yield return launch.SocketDir;
        yield return "--log-level"; yield return "error";
        foreach (var arg in RuntimeArguments(runtime)) yield return arg;
        if (launch.Terminal) yield return "-t";
        if (launch.Stdin)
        {
            yield return "-i";
            // Detaching a terminal must not close the container's stdin: it can be attached again. A
            // stdin-once container (docker run -i) gets EOF when its one attached writer hangs up.
            if (!launch.StdinOnce) yield return "--leave-stdin-open";
        }
        if (launch.ExitCommand is not null)
        {
            yield return "--exit-command"; yield return launch.ExitCommand;
            yield return "--exit-delay"; yield return launch.ExitDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var arg in launch.ExitCommandArgs)
                yield return "--exit-command-arg=" + arg;
        }
    }

    /// <summary>Reads one message line from a conmon pipe; null when conmon closed it first.</summary>
    internal static string? ReadLine(FileStream reader, TimeSpan timeout, string timeoutMessage)
    {
        var read = Task.Run(() =>
        {
            var bytes = new List<byte>();
            var one = new byte[1];
            while (reader.Read(one, 0, 1) == 1)
            {
                if (one[0] == (byte)'\n') return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
                bytes.Add(one[0]);
            }
            return bytes.Count > 0 ? System.Text.Encoding.UTF8.GetString(bytes.ToArray()) : null;
        });
        if (!read.Wait(timeout))
            throw new EngineException("ConmonTimeout", EngineErrorKind.Timeout, timeoutMessage);
        return read.Result;
    }

    /// <summary>Parses conmon's sync-pipe message, <c>{"data": N, "message": "…"}</c>.</summary>
    internal static (int Data, string? Message) ParseSync(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var data = root.TryGetProperty("data", out var d) ? d.GetInt32() : -1;
        var message = root.TryGetProperty("message", out var m) ? m.GetString() : null;
        return (data, message);
    }

    /// <summary>Turns the runtime's JSON log lines into the plain message a user needs.</summary>
    internal static string CleanMessage(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return "no reason given";
        var lines = new List<string>();
        foreach (var raw in message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.StartsWith('{'))
            {
                try
                {
                    using var doc = JsonDocument.Parse(raw);
                    if (doc.RootElement.TryGetProperty("msg", out var msg)) { lines.Add(msg.GetString() ?? raw); continue; }
                }
                catch (JsonException) { }
            }
            lines.Add(raw);
        }
        return string.Join("; ", lines);
    }
}
