using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Runs another process in a running container, as <c>docker exec</c> does: the OCI runtime's <c>exec</c>
/// joins the container's namespaces and cgroup. With pipes the runtime is the caller's child, stays in the
/// foreground and exits with the process's exit code, so the process lives only as long as the call. On a
/// terminal conmon runs it instead, so the user can detach and leave it running.
/// </summary>
internal sealed partial class ContainerExec
{
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ConmonTimeout = TimeSpan.FromSeconds(30);
    private readonly StoreLayout _layout;
    private readonly ContainerManager _containers;

    /// <summary>Runs processes in the containers <paramref name="containers"/> manages.</summary>
    public ContainerExec(StoreLayout layout, ContainerManager containers)
    {
        _layout = layout;
        _containers = containers;
    }

    /// <summary>
    /// Runs <paramref name="request"/> with pipes: <paramref name="input"/> (if any) is copied to its stdin,
    /// which is then closed. Each line it writes is passed to <paramref name="output"/> (true for stderr) on
    /// the calling thread; with <paramref name="stdoutBytes"/>, stdout is not decoded but passed as it
    /// arrives, byte for byte. Returns the exit code; cancelling stops the process.
    /// </summary>
    public int Run(string idOrName, ExecRequest request, Stream? input, Action<bool, string> output, Action<byte[]>? stdoutBytes, CancellationToken cancel)
    {
        var (record, runtime, dir) = Prepare(idOrName, request, terminal: false, _ => Path.Combine(_layout.TempDir, TempName.For("exec")));
        try
        {
            var pidFile = PidFile(dir);
            using var process = ProcessRunner.StartPiped(runtime.PathToBinary, runtime.ExecArguments(record.Id, ProcessFile(dir), pidFile, LogFile(dir)));
            var received = new BlockingCollection<Received>();
            var stdout = Task.Run(() =>
            {
                if (stdoutBytes is null) Pump(process.StandardOutput, false, received);
                else PumpBytes(process.StandardOutput.BaseStream, received);
            });
            var stderr = Task.Run(() => Pump(process.StandardError, true, received));
            _ = Task.WhenAll(stdout, stderr).ContinueWith(_ => received.CompleteAdding(), TaskScheduler.Default);
            _ = Task.Run(() => Feed(process.StandardInput.BaseStream, input));

            // Until the process has started, stderr carries only the runtime's own failure message, which
            // becomes the error instead; hold those lines until the pid file shows the process ran.
            var held = new List<string>();
            var started = false;
            using (cancel.Register(() => Interrupt(process, pidFile)))
            {
                foreach (var item in received.GetConsumingEnumerable())
                {
                    if (!started && File.Exists(pidFile))
                    {
                        started = true;
                        foreach (var line in held) output(true, line);
                    }
                    if (item.Bytes is { } bytes) stdoutBytes!(bytes);
                    else if (item.IsError && !started) held.Add(item.Text!);
                    else output(item.IsError, item.Text!);
                }
                process.WaitForExit();
            }
            cancel.ThrowIfCancellationRequested();
            if (!started && !File.Exists(pidFile)) throw NotStarted(record, request, File.Exists(LogFile(dir)) ? File.ReadAllText(LogFile(dir)) : null);
            if (!started) foreach (var line in held) output(true, line);
            return process.ExitCode;
        }
        finally
        {
            DirectoryTree.Delete(dir);
        }
    }

    /// <summary>
    /// Runs <paramref name="request"/> on a pseudo-terminal attached to this process's own terminal
    /// (docker exec -it). conmon runs it and holds its terminal, so it can outlive the call: typing
    /// <paramref name="detachKeys"/> returns with the process still running. Ctrl+C goes to the process and
    /// window resizes follow; the terminal's settings are restored however it ends. Returns whether the user
    /// detached, the process's exit code when not, and its host pid.
    /// </summary>
    public (bool Detached, int ExitCode, int Pid) RunInteractive(string idOrName, ExecRequest request, string detachKeys, CancellationToken cancel)
    {
        if (!Terminal.IsTerminal(Terminal.StdIn) || !Terminal.IsTerminal(Terminal.StdOut))
            throw new EngineException("NotATerminal", EngineErrorKind.InvalidState,
                "An interactive shell needs a terminal on stdin and stdout; use Invoke-ContainerCommand to run a command with pipes.", idOrName);
        var keys = new DetachKeys(detachKeys);
        var sessionId = Guid.NewGuid().ToString("N");
        // The session lives with the container, so a detached one is removed with it.
        var (record, runtime, dir) = Prepare(idOrName, request, terminal: true, paths => Path.Combine(paths.Dir, "exec", sessionId));
        var running = false;
        try
        {
            using var exec = ConmonExec.Launch(new Conmon(ContainerManager.ConmonPath()), runtime,
                new ConmonExecLaunch(record.Id, sessionId, dir, ProcessFile(dir), PidFile(dir), Path.Combine(dir, "exec.log"), _layout.SocketDir),
                ConmonTimeout);
            using var console = ConsoleAttachment.Connect(dir);
            var (pid, error) = exec.Start(ConmonTimeout);
            if (pid <= 0) throw NotStarted(record, request, error);
            running = true;
            console.ResizeToTerminal();
            if (console.Run(keys, cancel)) return (true, 0, pid);
            running = false;
            var code = exec.WaitForExit(ConmonTimeout)
                ?? throw new EngineException("ExecLost", EngineErrorKind.ExternalFailure,
                    $"conmon ended without reporting how '{request.Command[0]}' exited in container {record.Name}.", record.Name);
            return (false, code, pid);
        }
        finally
        {
            if (!running)
            {
                DirectoryTree.Delete(dir);
                // conmon leaves its link to the session's attach socket behind.
                File.Delete(Path.Combine(_layout.SocketDir, sessionId));
            }
        }
    }

    /// <summary>The process spec for an exec: the container's own process, changed as the request asks.</summary>
    internal static OciProcess ProcessFor(OciProcess container, ExecRequest request, ContainerUser.Ids? user, bool terminal, (int Rows, int Columns)? size)
    {
        var env = new List<string>(container.Env);
        void Set(string entry) => EnvironmentList.Set(env, entry);
        if (terminal && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal))) Set("TERM=xterm");
        foreach (var entry in request.Environment) Set(entry);

        var capabilities = container.Capabilities;
        if (request.Privileged)
        {
            var all = LinuxCapabilities.All();
            capabilities = new OciCapabilities { Bounding = [.. all], Effective = [.. all], Permitted = [.. all] };
        }
        return new OciProcess
        {
            Terminal = terminal,
            ConsoleSize = terminal && size is { } s ? new OciConsoleSize { Height = (uint)s.Rows, Width = (uint)s.Columns } : null,
            User = user is { } ids
                ? new OciUser { Uid = ids.Uid, Gid = ids.Gid, AdditionalGids = ids.AdditionalGids.Count > 0 ? ids.AdditionalGids : null }
                : container.User,
            Args = [.. request.Command],
            Env = env,
            Cwd = request.WorkingDirectory ?? container.Cwd,
            Capabilities = capabilities,
            Rlimits = container.Rlimits,
            NoNewPrivileges = container.NoNewPrivileges,
            OomScoreAdj = container.OomScoreAdj,
        };
    }

    private (ContainerRecord Record, OciRuntime Runtime, string Dir) Prepare(string idOrName, ExecRequest request, bool terminal, Func<ContainerPaths, string> directory, (int Rows, int Columns)? size = null)
    {
        if (request.Command.Count == 0 || request.Command[0].Length == 0)
            throw new EngineException("NoCommand", EngineErrorKind.InvalidArgument, "Name the command to run in the container.", idOrName);
        if (request.WorkingDirectory is { } cwd && !cwd.StartsWith('/'))
            throw new EngineException("InvalidWorkingDirectory", EngineErrorKind.InvalidArgument, $"WorkingDirectory '{cwd}' must be an absolute path.", cwd);
        foreach (var env in request.Environment)
            if (env.Length == 0 || env[0] == '=' || !env.Contains('='))
                throw new EngineException("InvalidEnvironment", EngineErrorKind.InvalidArgument, $"Environment entry '{env}' is not NAME=value.", env);

        var record = _containers.Find(idOrName);
        if (record.State.Status != ContainerStatus.Running)
            throw new EngineException("ContainerNotRunning", EngineErrorKind.InvalidState,
                $"Container {record.Name} is {record.State.Status.ToString().ToLowerInvariant()}; commands run only in a running container.", record.Name);
        var paths = _containers.Store.PathsOf(record.Id);
        var spec = StoreJson.Read(paths.BundleConfig, OciJsonContext.Default.OciSpec);
        var user = request.User is { Length: > 0 } name ? ContainerUser.Resolve(paths.Rootfs, name) : (ContainerUser.Ids?)null;
        var process = ProcessFor(spec.Process, request, user, terminal, terminal ? size ?? Terminal.Size(Terminal.StdOut) : null);

        var dir = directory(paths);
        Directory.CreateDirectory(dir);
        StoreJson.Write(ProcessFile(dir), process, OciJsonContext.Default.OciProcess);
        return (record, _containers.RuntimeOf(record), dir);
    }

    // One thing the process wrote: a line of text, or (raw stdout) a chunk of bytes.
    private readonly record struct Received(bool IsError, string? Text, byte[]? Bytes);

    private static void Pump(StreamReader reader, bool isError, BlockingCollection<Received> received)
    {
        while (reader.ReadLine() is { } line) received.Add(new Received(isError, line, null));
    }

    private static void PumpBytes(Stream stdout, BlockingCollection<Received> received)
    {
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stdout.Read(buffer, 0, buffer.Length)) > 0) received.Add(new Received(false, null, buffer[..n]));
    }

    private static void Feed(Stream stdin, Stream? input)
    {
        try
        {
            input?.CopyTo(stdin);
        }
        catch (IOException)
        {
            // The process exited or closed its stdin without reading everything, as `true` would.
        }
        finally
        {
            try { stdin.Close(); } catch (IOException) { }
        }
    }

    // The runtime forwards SIGTERM to the process; one that ignores it is killed after a grace period.
    private static void Interrupt(Process process, string pidFile)
    {
        if (process.HasExited) return;
        Libc.kill(process.Id, Signals.SIGTERM);
        _ = Task.Run(() =>
        {
            if (process.WaitForExit(InterruptGrace)) return;
            if (int.TryParse(File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "", NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                Libc.kill(pid, Signals.SIGKILL);
            try { process.Kill(); } catch (InvalidOperationException) { }
        });
    }

    private static EngineException NotStarted(ContainerRecord record, ExecRequest request, string? error)
    {
        var message = Conmon.CleanMessage(error);
        var ex = new EngineException("ContainerCommandNotStarted", EngineErrorKind.ExternalFailure,
            $"Cannot run '{request.Command[0]}' in container {record.Name}: {message}", record.Name);
        ex.Data["ExitCode"] = CommandNotStarted.ExitCode(message);
        return ex;
    }

    private static string ProcessFile(string dir) => Path.Combine(dir, "process.json");
    private static string PidFile(string dir) => Path.Combine(dir, "pid");
    private static string LogFile(string dir) => Path.Combine(dir, "runtime.log");
}
