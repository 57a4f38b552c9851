using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
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
    // Ids are "<12 random hex>-transient-<owner pid>": the random part first, because network namespaces
    // and attachments are named after an id's first characters.
    private const string OwnerMarker = "-transient-";

    private readonly StoreLayout _layout;
    private readonly ContainerManager _containers;
    private readonly CgroupHost _cgroups;
    private readonly ContainerNetworking _networks;

    public TransientContainer(StoreLayout layout, ContainerManager containers, CgroupHost cgroups)
    {
        _layout = layout;
        _containers = containers;
        _cgroups = cgroups;
        _networks = containers.Networking;
    }

    /// <summary>A fresh id owned by this process.</summary>
    public static string NewId() => $"{Guid.NewGuid():N}"[..12] + OwnerMarker + System.Environment.ProcessId;

    /// <summary>Whether an id is a transient container's whose owning process still runs.</summary>
    public static bool IsOwnerAlive(string id)
    {
        var marker = id.IndexOf(OwnerMarker, StringComparison.Ordinal);
        return marker > 0 && int.TryParse(id.AsSpan(marker + OwnerMarker.Length), out var pid)
            && (pid == System.Environment.ProcessId || Libc.ProcessExists(pid));
    }

    /// <summary>Runs the process; returns its exit code. <paramref name="output"/> gets each line of stdout and stderr.</summary>
    public int Run(TransientRun run, Action<string> output, CancellationToken cancel)
    {
        var selection = _containers.DefaultRuntime;
        var runtime = new OciRuntime(selection.Name, selection.Path, Path.Combine(_layout.RuntimeStateDir, selection.Name));
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
                Hostname = run.Network == "host" ? null : run.Id[..12],
            },
        };
        try
        {
            record.Network = _networks.Prepare(record.Settings);
            Directory.CreateDirectory(run.BundleDir);
            _networks.WriteEtcFiles(record, run.BundleDir);
            _networks.Attach(record, null);
            var user = ContainerUser.Resolve(run.Rootfs, run.User);
            // A build step's groups include its primary group, as under buildah's builder (`id` shows it).
            if (!user.AdditionalGids.Contains(user.Gid)) user = user with { AdditionalGids = [user.Gid, .. user.AdditionalGids] };
            var spec = SpecBuilder.Build(record, null, run.Rootfs, run.BundleDir, user, _cgroups.Mode, run.Mounts);
            // Build steps may use sudo or setuid helpers, as under Docker's and Buildah's builders.
            spec.Process!.NoNewPrivileges = false;
            ContainerNetworking.ApplyTo(spec, record);
            StoreJson.Write(Path.Combine(run.BundleDir, "config.json"), spec, OciJsonContext.Default.OciSpec);
            return Execute(runtime, run, output, cancel);
        }
        finally
        {
            runtime.Delete(run.Id, force: true);
            _cgroups.Remove(SpecBuilder.CgroupsPathOf(run.Id));
            _networks.Detach(record);
        }
    }

    /// <summary>Kills and deletes transient containers whose owning process is gone.</summary>
    public void RemoveLeftovers()
    {
        if (!Directory.Exists(_layout.RuntimeStateDir)) return;
        foreach (var runtimeDir in Directory.EnumerateDirectories(_layout.RuntimeStateDir))
        {
            foreach (var stateDir in Directory.EnumerateDirectories(runtimeDir, "*" + OwnerMarker + "*"))
            {
                var id = Path.GetFileName(stateDir);
                if (IsOwnerAlive(id)) continue;
                var name = Path.GetFileName(runtimeDir);
                var path = ProcessRunner.Which(name);
                if (path is null) continue;
                var runtime = new OciRuntime(name, path, runtimeDir);
                runtime.Kill(id, Signals.SIGKILL, all: true);
                runtime.Delete(id, force: true);
                _cgroups.Remove(SpecBuilder.CgroupsPathOf(id));
                _networks.Detach(new ContainerRecord { Id = id, Name = id });
            }
        }
    }

    private static int Execute(OciRuntime runtime, TransientRun run, Action<string> output, CancellationToken cancel)
    {
        using var process = ProcessRunner.StartPiped(runtime.PathToBinary, runtime.GlobalArgs.Concat(["run", "--bundle", run.BundleDir, run.Id]));
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
