using System.Diagnostics;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Runs one process to completion in a root filesystem the caller mounted, in the foreground of the OCI
/// runtime, without conmon and without a container record: a build step's RUN. Its output is handed over
/// line by line as it comes. A process whose caller died is found by its id (which carries the caller's pid)
/// and removed by <see cref="RemoveLeftovers"/>.
/// </summary>
internal sealed class TransientContainer
{
    /// <summary>The start of every transient container's id.</summary>
    public const string IdPrefix = "transient-";

    private readonly ContainerEngine _engine;

    public TransientContainer(ContainerEngine engine) => _engine = engine;

    /// <summary>A fresh id owned by this process.</summary>
    public static string NewId() => $"{IdPrefix}{System.Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Runs the process; returns its exit code. <paramref name="output"/> gets each line of stdout and stderr.</summary>
    public int Run(TransientRun run, Action<string> output, CancellationToken cancel)
    {
        var selection = _engine.Containers.DefaultRuntime;
        var runtime = new OciRuntime(selection.Name, selection.Path, Path.Combine(_engine.Layout.RuntimeStateDir, selection.Name));
        var record = new ContainerRecord
        {
            Id = run.Id,
            Name = run.Id,
            ImageName = "build",
            Command = run.Args,
            Settings = new ContainerSettings
            {
                Environment = run.Environment,
                WorkingDirectory = run.WorkingDirectory,
                User = run.User,
                Network = run.Network,
                Hostname = run.Network == "host" ? null : run.Id[^12..],
            },
        };
        try
        {
            record.Network = _engine.Networks.Prepare(record.Settings);
            Directory.CreateDirectory(run.BundleDir);
            _engine.Networks.WriteEtcFiles(record, run.BundleDir);
            _engine.Networks.Attach(record, null);
            var user = ContainerUser.Resolve(run.Rootfs, run.User);
            var spec = SpecBuilder.Build(record, null, run.Rootfs, run.BundleDir, user, _engine.Cgroups.Mode, run.Mounts);
            // Build steps may use sudo or setuid helpers, as under Docker's and Buildah's builders.
            spec.Process!.NoNewPrivileges = false;
            _engine.Networks.ApplyTo(spec, record);
            StoreJson.Write(Path.Combine(run.BundleDir, "config.json"), spec, StoreJsonContext.Default.OciSpec);
            return Execute(runtime, run, output, cancel);
        }
        finally
        {
            runtime.Delete(run.Id, force: true);
            _engine.Cgroups.Remove(SpecBuilder.CgroupsPathOf(run.Id));
            _engine.Networks.Detach(record);
        }
    }

    /// <summary>Kills and deletes transient containers whose owning process is gone.</summary>
    public void RemoveLeftovers()
    {
        if (!Directory.Exists(_engine.Layout.RuntimeStateDir)) return;
        foreach (var runtimeDir in Directory.EnumerateDirectories(_engine.Layout.RuntimeStateDir))
        {
            foreach (var stateDir in Directory.EnumerateDirectories(runtimeDir, IdPrefix + "*"))
            {
                var id = Path.GetFileName(stateDir);
                if (OwnerAlive(id)) continue;
                var name = Path.GetFileName(runtimeDir);
                var path = Runtime.ProcessRunner.Which(name);
                if (path is null) continue;
                var runtime = new OciRuntime(name, path, runtimeDir);
                runtime.Kill(id, Signals.SIGKILL, all: true);
                runtime.Delete(id, force: true);
                _engine.Cgroups.Remove(SpecBuilder.CgroupsPathOf(id));
                _engine.Networks.Detach(new ContainerRecord { Id = id, Name = id });
            }
        }
    }

    private static bool OwnerAlive(string id)
    {
        var parts = id[IdPrefix.Length..].Split('-');
        return parts.Length > 1 && int.TryParse(parts[0], out var pid) && (pid == System.Environment.ProcessId || Libc.ProcessExists(pid));
    }

    private static int Execute(OciRuntime runtime, TransientRun run, Action<string> output, CancellationToken cancel)
    {
        var info = new ProcessStartInfo(runtime.PathToBinary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in runtime.GlobalArgs.Concat(["run", "--bundle", run.BundleDir, run.Id]))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new EngineException("StartFailed", EngineErrorKind.ExternalFailure, $"Cannot start {runtime.PathToBinary}.");
        process.StandardInput.Close();
        var lines = new System.Collections.Concurrent.BlockingCollection<string>();
        var readers = new[] { Pump(process.StandardOutput, lines), Pump(process.StandardError, lines) };
        _ = Task.WhenAll(readers).ContinueWith(_ => lines.CompleteAdding(), TaskScheduler.Default);
        using (cancel.Register(() =>
        {
            runtime.Kill(run.Id, Signals.SIGKILL, all: true);
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }))
        {
            foreach (var line in lines.GetConsumingEnumerable()) output(line);
            process.WaitForExit();
        }
        cancel.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    private static async Task Pump(StreamReader reader, System.Collections.Concurrent.BlockingCollection<string> lines)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            lines.Add(line);
    }
}
