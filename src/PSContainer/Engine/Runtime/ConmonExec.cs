using Microsoft.Win32.SafeHandles;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// One process run in a running container through conmon (<c>conmon --exec --exec-attach</c>), so it can
/// outlive its caller: conmon runs the runtime's <c>exec --detach</c>, holds the process's terminal and
/// serves it on the attach socket of the session directory. Three pipes drive it, as Podman drives them:
/// conmon waits on the start pipe, says on the attach pipe when its socket listens, waits on the start pipe
/// again before running the runtime (so a client that attached first misses nothing), then reports on the
/// sync pipe the process's pid and, when it ends, its exit code.
/// </summary>
internal sealed class ConmonExec : IDisposable
{
    private static readonly byte[] Go = "0\n"u8.ToArray();
    private readonly FileStream _sync;
    private readonly FileStream _start;

    private ConmonExec(FileStream sync, FileStream start)
    {
        _sync = sync;
        _start = start;
    }

    /// <summary>Launches conmon and waits until its attach socket listens; the process is not started yet.</summary>
    public static ConmonExec Launch(Conmon conmon, OciRuntime runtime, ConmonExecLaunch launch, TimeSpan timeout)
    {
        var (syncRead, syncWrite) = Conmon.Pipe();
        var (attachRead, attachWrite) = Conmon.Pipe();
        var (startRead, startWrite) = Conmon.Pipe();
        var sync = new FileStream(new SafeFileHandle(syncRead, ownsHandle: true), FileAccess.Read, 1);
        using var attach = new FileStream(new SafeFileHandle(attachRead, ownsHandle: true), FileAccess.Read, 1);
        var start = new FileStream(new SafeFileHandle(startWrite, ownsHandle: true), FileAccess.Write, 1);
        var exec = new ConmonExec(sync, start);
        try
        {
            var stderr = conmon.Spawn(Arguments(runtime, launch), launch.SessionDir,
                ("_OCI_SYNCPIPE", syncWrite), ("_OCI_ATTACHPIPE", attachWrite), ("_OCI_STARTPIPE", startRead));
            exec.Signal();
            if (Conmon.ReadLine(attach, timeout, "conmon did not open the exec session's attach socket in time.") is null)
                throw new EngineException("ConmonFailed", EngineErrorKind.ExternalFailure,
                    $"conmon exited before running the command: {(stderr.Wait(2000) ? stderr.Result.Trim() : "")}", launch.ContainerId);
            return exec;
        }
        catch
        {
            exec.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Lets conmon run the process; returns its host pid, or 0 and the runtime's complaint when it did not start.
    /// </summary>
    public (int Pid, string? Error) Start(TimeSpan timeout)
    {
        try { Signal(); }
        catch (IOException) { return (0, "conmon exited before starting it"); }
        if (Conmon.ReadLine(_sync, timeout, "conmon did not report the exec'd process in time.") is not { } line)
            return (0, "conmon exited without starting it");
        var (pid, message) = Conmon.ParseSync(line);
        return pid > 0 ? (pid, null) : (0, message);
    }

    /// <summary>The process's exit code once it ended (conmon reports it right after); null when conmon died.</summary>
    public int? WaitForExit(TimeSpan timeout) =>
        Conmon.ReadLine(_sync, timeout, "conmon did not report the exit code in time.") is { } line ? Conmon.ParseSync(line).Data : null;

    /// <inheritdoc/>
    public void Dispose()
    {
        _sync.Dispose();
        _start.Dispose();
    }

    private void Signal()
    {
        _start.Write(Go);
        _start.Flush();
    }

    private static IEnumerable<string> Arguments(OciRuntime runtime, ConmonExecLaunch launch)
    {
        yield return "--api-version"; yield return "1";
        yield return "-c"; yield return launch.ContainerId;
        yield return "-u"; yield return launch.SessionId;
        yield return "-r"; yield return runtime.PathToBinary;
        yield return "-b"; yield return launch.SessionDir;
        yield return "-p"; yield return launch.PidFile;
        yield return "-l"; yield return "k8s-file:" + launch.LogPath;
        yield return "--exit-dir"; yield return launch.SessionDir;
        yield return "--socket-dir-path"; yield return launch.SocketDir;
        yield return "--log-level"; yield return "error";
        foreach (var arg in Conmon.RuntimeArguments(runtime)) yield return arg;
        yield return "--exec";
        yield return "--exec-attach";
        yield return "--exec-process-spec"; yield return launch.ProcessFile;
        yield return "-t";
        yield return "-i";
        // A detached process keeps its stdin, as a detached -Tty container does.
        yield return "--leave-stdin-open";
    }
}
