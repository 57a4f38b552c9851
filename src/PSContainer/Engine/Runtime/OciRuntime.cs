using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// A thin wrapper over an OCI runtime binary (crun or runc). It only runs commands; the container
/// state machine lives in <c>ContainerManager</c>. State is kept under <see cref="StateRoot"/>.
/// </summary>
internal sealed class OciRuntime
{
    public OciRuntime(string name, string path, string stateRoot)
    {
        Name = name;
        PathToBinary = path;
        StateRoot = stateRoot;
    }

    /// <summary>"crun" or "runc" (or what the user named).</summary>
    public string Name { get; }

    /// <summary>The runtime binary.</summary>
    public string PathToBinary { get; }

    /// <summary>The runtime's <c>--root</c> state directory.</summary>
    public string StateRoot { get; }

    /// <summary>Global arguments every call passes.</summary>
    public IReadOnlyList<string> GlobalArgs => ["--root", StateRoot];

    /// <summary>Created → Running: starts the user process of a created container.</summary>
    public void Start(string id) => Check(Run("start", id), "start", id);

    /// <summary>Sends a signal to the container's init (or all its processes); no state change of its own.</summary>
    public bool Kill(string id, int signal, bool all = false)
    {
        var args = new List<string> { "kill" };
        if (all) args.Add("--all");
        args.Add(id);
        args.Add(signal.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Run(args.ToArray()).ExitCode == 0;
    }

    /// <summary>Running → Paused (cgroup freezer).</summary>
    public void Pause(string id) => Check(Run("pause", id), "pause", id);

    /// <summary>Paused → Running.</summary>
    public void Resume(string id) => Check(Run("resume", id), "resume", id);

    /// <summary>Stopped → gone: removes the runtime's state for the container; absent state is fine.</summary>
    public void Delete(string id, bool force)
    {
        // crun and runc both keep a container's state in <root>/<id>; without it there is nothing to delete.
        if (!Directory.Exists(Path.Combine(StateRoot, id))) return;
        Run(force ? ["delete", "--force", id] : ["delete", id]);
    }

    /// <summary>Lists the pids of the container's processes.</summary>
    public IReadOnlyList<int> Processes(string id)
    {
        var result = Run("ps", "--format", "json", id);
        Check(result, "ps", id);
        var text = result.StdOut.Trim();
        if (text is "" or "null") return [];
        return text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>
    /// The arguments (for <see cref="PathToBinary"/>) that run <c>exec</c> for one process described by
    /// <paramref name="processFile"/> (an OCI process spec) in the foreground: the runtime exits with the
    /// process's exit code. It writes the process's host pid to <paramref name="pidFile"/> once the process
    /// started, and its own errors, as JSON lines, to <paramref name="logFile"/>.
    /// </summary>
    public IEnumerable<string> ExecArguments(string id, string processFile, string pidFile, string logFile) =>
        GlobalArgs.Concat(["--log", logFile, "--log-format", "json", "exec", "--pid-file", pidFile, "--process", processFile, id]);

    /// <summary>Runs the runtime with the global arguments and <paramref name="args"/>.</summary>
    public ProcessRunner.Result Run(params string[] args) => ProcessRunner.Run(PathToBinary, GlobalArgs.Concat(args));

    private void Check(ProcessRunner.Result result, string verb, string id)
    {
        if (result.ExitCode != 0)
            throw new EngineException("RuntimeFailed", EngineErrorKind.ExternalFailure,
                $"{Name} {verb} failed for container {id[..12]}: {result.StdErr.Trim()}", id);
    }
}
