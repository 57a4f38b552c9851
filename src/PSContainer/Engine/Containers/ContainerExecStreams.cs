using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Containers;

/// <summary>Exec for remote clients (the Docker API): byte streams instead of lines and of this process's terminal.</summary>
internal sealed partial class ContainerExec
{
    /// <summary>
    /// Runs <paramref name="request"/> with pipes, byte for byte: <paramref name="input"/> (null for none) becomes its
    /// stdin, its stdout and stderr go to <paramref name="output"/> (true for stderr) as they come. <paramref name="started"/>
    /// gets its host pid. Returns the exit code; cancelling stops the process.
    /// </summary>
    public async Task<int> RunStreamsAsync(string idOrName, ExecRequest request, Stream? input, Func<bool, ReadOnlyMemory<byte>, CancellationToken, Task> output,
        Action<int>? started, CancellationToken cancel)
    {
        var (record, runtime, dir) = Prepare(idOrName, request, terminal: false, _ => Path.Combine(_layout.TempDir, TempName.For("exec")));
        try
        {
            var pidFile = PidFile(dir);
            using var process = ProcessRunner.StartPiped(runtime.PathToBinary, runtime.ExecArguments(record.Id, ProcessFile(dir), pidFile, LogFile(dir)));
            using var stop = cancel.Register(() => Interrupt(process, pidFile));
            var stdin = process.StandardInput.BaseStream;
            _ = Task.Run(async () =>
            {
                try
                {
                    if (input is not null) await input.CopyToAsync(stdin, cancel).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    // The process closed its stdin, or the client went away.
                }
                finally
                {
                    try { stdin.Close(); } catch (IOException) { }
                }
            }, CancellationToken.None);
            var reported = false;
            async Task Pump(Stream from, bool isError)
            {
                var buffer = new byte[32768];
                int n;
                while ((n = await from.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
                {
                    if (!reported && started is not null && File.Exists(pidFile) && ReadPid(pidFile) is { } pid)
                    {
                        reported = true;
                        started(pid);
                    }
                    try
                    {
                        await output(isError, buffer.AsMemory(0, n), cancel).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException)
                    {
                        // The client went away: keep draining so the process is not blocked on a full pipe until it is stopped.
                    }
                }
            }
            await Task.WhenAll(Pump(process.StandardOutput.BaseStream, false), Pump(process.StandardError.BaseStream, true)).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
            if (!File.Exists(pidFile)) throw NotStarted(record, request, File.Exists(LogFile(dir)) ? await File.ReadAllTextAsync(LogFile(dir), CancellationToken.None).ConfigureAwait(false) : null);
            if (!reported && started is not null && ReadPid(pidFile) is { } lastPid) started(lastPid);
            return process.ExitCode;
        }
        finally
        {
            DirectoryTree.Delete(dir);
        }
    }

    /// <summary>
    /// Runs <paramref name="request"/> on a pseudo-terminal of <paramref name="size"/> for a remote client: conmon holds
    /// the terminal, <paramref name="input"/> is typed into it and its output goes to <paramref name="output"/>.
    /// <paramref name="attached"/> gets the session's directory (for resizes) and the process's pid once it runs.
    /// Returns the exit code.
    /// </summary>
    public async Task<int> RunOnTerminalAsync(string idOrName, ExecRequest request, (int Rows, int Columns)? size, Stream? input,
        Func<bool, ReadOnlyMemory<byte>, CancellationToken, Task> output, Action<string, int>? attached, CancellationToken cancel)
    {
        var sessionId = Guid.NewGuid().ToString("N");
        var (record, runtime, dir) = Prepare(idOrName, request, terminal: true, paths => Path.Combine(paths.Dir, "exec", sessionId), size ?? (24, 80));
        try
        {
            using var exec = ConmonExec.Launch(new Conmon(ContainerManager.ConmonPath()), runtime,
                new ConmonExecLaunch(record.Id, sessionId, dir, ProcessFile(dir), PidFile(dir), Path.Combine(dir, "exec.log"), _layout.SocketDir),
                ConmonTimeout);
            using var console = ConsoleAttachment.Connect(dir);
            var (pid, error) = exec.Start(ConmonTimeout);
            if (pid <= 0) throw NotStarted(record, request, error);
            attached?.Invoke(dir, pid);
            using (cancel.Register(() => Libc.kill(pid, Signals.SIGKILL)))
                await console.RelayAsync(input, output, cancel).ConfigureAwait(false);
            return await Task.Run(() => exec.WaitForExit(ConmonTimeout), CancellationToken.None).ConfigureAwait(false)
                ?? throw new EngineException("ExecLost", EngineErrorKind.ExternalFailure,
                    $"conmon ended without reporting how '{request.Command[0]}' exited in container {record.Name}.", record.Name);
        }
        finally
        {
            DirectoryTree.Delete(dir);
            File.Delete(Path.Combine(_layout.SocketDir, sessionId));
        }
    }

    private static int? ReadPid(string pidFile) =>
        int.TryParse(File.ReadAllText(pidFile).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
}
