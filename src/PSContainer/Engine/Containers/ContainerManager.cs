using System.Globalization;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Volumes;

namespace PSContainer.Engine.Containers;

/// <summary>
/// The container state machine: Created → Running ⇄ Paused → Exited → (removed), Exited → Running again.
/// The OCI runtime and conmon only act; every transition is recorded here, under the store lock.
/// </summary>
internal sealed class ContainerManager
{
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(60);
    private readonly StoreLayout _layout;

    /// <summary>How long past its due time a restart waits for the exit command before any cmdlet does it.</summary>
    private static readonly TimeSpan OverdueRestart = TimeSpan.FromSeconds(5);
    private readonly ContainerStore _store;
    private readonly string? _runtimeName;
    private readonly CgroupHost _cgroups;
    private readonly ImageService _images;
    private readonly ImageStore _imageStore;
    private readonly LayerStore _layers;
    private readonly VolumeManager _volumes;
    private readonly ContainerNetworking _networks;

    /// <summary>Network attachment for containers with and without a record (a build step's RUN).</summary>
    public ContainerNetworking Networking => _networks;
    private RuntimeSelection? _defaultRuntime;

    /// <summary>A manager of the containers in <paramref name="store"/>; <paramref name="runtimeName"/> is the OCI runtime asked for (crun, runc or a path), or null to probe.</summary>
    public ContainerManager(StoreLayout layout, ContainerStore store, string? runtimeName, CgroupHost cgroups, ImageService images,
        ImageStore imageStore, LayerStore layers, VolumeManager volumes, NetworkManager networks)
    {
        _layout = layout;
        _store = store;
        _runtimeName = runtimeName;
        _cgroups = cgroups;
        _images = images;
        _imageStore = imageStore;
        _layers = layers;
        _volumes = volumes;
        _networks = new ContainerNetworking(layout, store, networks, Find);
    }

    /// <summary>The container files.</summary>
    public ContainerStore Store => _store;

    /// <summary>The runtime used when neither the container nor the call names one.</summary>
    public RuntimeSelection DefaultRuntime => _defaultRuntime ??= RuntimeSelector.Select(_runtimeName, _cgroups);

    /// <summary>All containers, each brought up to date first (exits noticed, leftovers cleaned).</summary>
    public List<ContainerRecord> List()
    {
        RemoveAbandoned();
        using var _ = _layout.Lock();
        var mountPoints = OverlayMount.MountPoints();
        _store.Repair(mountPoints);
        TempName.RemoveOrphans(_layout.TempDir);
        var list = new List<ContainerRecord>();
        var records = _store.List();
        foreach (var record in records)
        {
            var current = Refresh(record, mountPoints);
            if (current is not null) list.Add(current);
        }
        RemoveStaleExitFiles(records);
        _networks.Repair(list);
        // A health monitor that was killed comes back with the next look at the store.
        if (list.Any(c => c.State.Status == ContainerStatus.Running && c.Settings.Healthcheck is { Enabled: true }))
            HealthMonitor.EnsureRunning(_layout);
        return list;
    }

    /// <summary>Finds one container by full id, unique id prefix or name.</summary>
    public ContainerRecord Find(string idOrName)
    {
        using var _ = _layout.Lock();
        return Refresh(FindRecord(idOrName), null) ?? throw NotFound(idOrName);
    }

    /// <summary>Brings one container's record up to date (used when conmon reports an exit); unknown ids are ignored.</summary>
    public void Refresh(string id)
    {
        using var _ = _layout.Lock();
        if (_store.Get(id) is { } record) Refresh(record, null);
    }

    /// <summary>Creates a container (state: Created). Nothing runs yet.</summary>
    public ContainerRecord Create(CreateContainerRequest request)
    {
        Validate(request.Settings);
        // A runtime that does not exist is refused now, not at the first start.
        if (request.Settings.Runtime is { } runtime) RuntimeSelector.Select(runtime, _cgroups);
        using var _ = _layout.Lock();
        var image = _images.Resolve(request.Image);
        var config = _imageStore.Config(image);
        var layers = Layers.LayerStore.ChainIdsOf(image.Layers.Select(l => l.DiffId));
        foreach (var chainId in layers)
            if (!_layers.Exists(chainId))
                throw new EngineException("ImageLayerMissing", EngineErrorKind.InvalidData, $"Image {request.Image} is missing layer {chainId}; pull or import it again.", request.Image);
        var command = SpecBuilder.Arguments(request.Settings, config.Config);
        if (command.Count == 0)
            throw new EngineException("NoCommand", EngineErrorKind.InvalidArgument, $"No command given and image {request.Image} has no CMD or ENTRYPOINT.", request.Image);

        var existing = _store.List();
        var names = existing.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var name = request.Name ?? ContainerNames.Generate(names);
        ContainerNames.Validate(name);
        if (names.Contains(name))
            throw new EngineException("ContainerNameInUse", EngineErrorKind.AlreadyExists, $"The container name '{name}' is already in use.", name);

        var settings = request.Settings;
        settings.Mounts = _volumes.Prepare(settings.Mounts, config.Config);
        var network = _networks.Prepare(settings);
        settings.StopSignal = settings.StopSignal is "SIGTERM" && config.Config?.StopSignal is { Length: > 0 } imageSignal ? imageSignal : settings.StopSignal;
        settings.Healthcheck = HealthConfig.Resolve(HealthConfig.FromImage(config.Config?.Healthcheck), settings.Healthcheck);
        var record = new ContainerRecord
        {
            Id = RecordId.New(),
            Name = name,
            ImageId = image.Id,
            ImageName = _images.DisplayName(request.Image, image),
            Created = DateTimeOffset.UtcNow,
            Layers = layers,
            Command = command,
            Settings = settings,
            Network = network,
            Owner = request.Owner,
        };
        _store.Add(record);
        return record;
    }

    /// <summary>
    /// Created or Exited → Running: mounts the rootfs, writes the bundle, starts conmon and the runtime.
    /// <paramref name="created"/> runs once conmon holds the created container and before its process starts
    /// (an attaching terminal connects there so it misses no output).
    /// </summary>
    public ContainerRecord Start(string idOrName, Action<ContainerPaths>? created = null)
    {
        using var _ = _layout.Lock();
        var record = Refresh(FindRecord(idOrName), null) ?? throw NotFound(idOrName);
        return StartCore(record, created, byPolicy: false);
    }

    /// <summary>
    /// Starts a record read under the store lock. A start by the user begins a new restart history; one by the
    /// restart policy counts as a restart and keeps the back-off.
    /// </summary>
    private ContainerRecord StartCore(ContainerRecord record, Action<ContainerPaths>? created, bool byPolicy)
    {
        switch (record.State.Status)
        {
            case ContainerStatus.Running:
                return record;
            case ContainerStatus.Paused:
                throw new EngineException("ContainerPaused", EngineErrorKind.InvalidState, $"Container {record.Name} is paused; resume it instead.", record.Name);
        }
        if (record.State.ManuallyStopped)
        {
            // The exit command skips a container the user stopped: a process that ends before this start is
            // recorded must find the stop forgotten.
            record.State.ManuallyStopped = false;
            _store.Save(record);
        }

        var runtime = RuntimeFor(record);
        var paths = _store.PathsOf(record.Id);
        var ociRuntime = new OciRuntime(runtime.Name, runtime.Path, RuntimeStateDir(runtime.Name));
        try
        {
            ociRuntime.Delete(record.Id, force: true);
            foreach (var stale in new[] { paths.ExitFile, paths.OomFile, _layout.ExitFile(record.Id), paths.ContainerPidFile })
                File.Delete(stale);
            MountRootfs(record, paths);
            var config = _imageStore.Config(_images.Resolve(record.ImageId)).Config;
            _networks.Attach(record, config);
            WriteEtcFiles(record, paths);
            RunOptionsSpec.WriteEtcFiles(paths.Dir, record.Settings.Run);
            var user = ContainerUser.Resolve(paths.Rootfs, record.Settings.User ?? config?.User);
            var mounts = _volumes.Attach(record.Settings.Mounts, paths.Rootfs);
            var spec = SpecBuilder.Build(record, config, paths.Rootfs, paths.Dir, user, _cgroups.Mode, mounts);
            ContainerNetworking.ApplyTo(spec, record);
            if (record.Settings.Init) InitProcess.ApplyTo(spec, InitProcess.Find());
            RunOptionsSpec.ApplyTo(spec, record.Settings.Run, paths.Rootfs, RunningPid);
            StoreJson.Write(paths.BundleConfig, spec, OciJsonContext.Default.OciSpec);

            var conmon = new Conmon(ConmonPath());
            var pid = conmon.Create(ociRuntime, new ConmonLaunch(
                record.Id, record.Name, paths.Dir, paths.ContainerPidFile, paths.ConmonPidFile, paths.Log,
                paths.PersistDir, _layout.ExitDir, _layout.SocketDir,
                record.Settings.Tty, record.Settings.Interactive, ExitCommand.Program, ExitCommand.Arguments(_layout, record.Id),
                record.Settings.StdinOnce, ExitCommand.DelayFor(mayRestart: !RestartPolicy.Parse(record.Settings.RestartPolicy).IsNone)), CreateTimeout);
            created?.Invoke(paths);
            ociRuntime.Start(record.Id);

            record.State = new ContainerState
            {
                Status = ContainerStatus.Running,
                Pid = pid,
                ConmonPid = ReadPid(paths.ConmonPidFile),
                StartedAt = DateTimeOffset.UtcNow,
                BootId = BootId(),
                RuntimePath = runtime.Path,
                Mounted = true,
                RestartCount = byPolicy ? record.State.RestartCount + 1 : 0,
                RestartDelayMs = byPolicy ? record.State.RestartDelayMs : 0,
            };
            _store.Save(record);
            if (record.Settings.Healthcheck is { Enabled: true }) HealthMonitor.EnsureRunning(_layout);
            return record;
        }
        catch (Exception ex)
        {
            ociRuntime.Delete(record.Id, force: true);
            _networks.Detach(record);
            UnmountRootfs(record, paths);
            record.State.Error = ex.Message;
            record.State.Mounted = false;
            // A failed restart ends the restart policy's attempts, as in Docker.
            if (record.State.Status == ContainerStatus.Restarting) record.State.Status = ContainerStatus.Exited;
            record.State.RestartAt = null;
            if (record.State.Status == ContainerStatus.Exited) record.State.ExitCode = 127;
            _store.Save(record);
            if (ex is EngineException) throw;
            var failed = new EngineException("StartFailed", EngineErrorKind.ExternalFailure, $"Cannot start container {record.Name}: {ex.Message}", record.Name, ex);
            failed.Data["ExitCode"] = CommandNotStarted.ExitCode(ex.Message);
            throw failed;
        }
    }

    /// <summary>Running/Paused → Exited: the stop signal, then SIGKILL after <paramref name="timeout"/>.</summary>
    public ContainerRecord Stop(string idOrName, TimeSpan? timeout = null)
    {
        var record = MarkStoppedByUser(idOrName);
        if (record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused)) return record;
        var runtime = RuntimeOf(record);
        var grace = timeout ?? TimeSpan.FromSeconds(record.Settings.StopTimeout);
        if (record.State.Status == ContainerStatus.Paused) Thaw(record);
        runtime.Kill(record.Id, Signals.Parse(record.Settings.StopSignal));
        if (!WaitForExitFile(record, grace, CancellationToken.None))
        {
            runtime.Kill(record.Id, Signals.SIGKILL, all: true);
            if (!WaitForExitFile(record, TimeSpan.FromSeconds(30), CancellationToken.None))
                throw new EngineException("StopTimeout", EngineErrorKind.Timeout, $"Container {record.Name} did not stop after SIGKILL.", record.Name);
        }
        return Finish(record.Id) ?? record;
    }

    /// <summary>
    /// Records that the user stops the container, before any signal, so that neither the exit command nor a
    /// waiting session restarts it; a pending restart is cancelled on the spot.
    /// </summary>
    private ContainerRecord MarkStoppedByUser(string idOrName)
    {
        using var _ = _layout.Lock();
        var record = Refresh(FindRecord(idOrName), null) ?? throw NotFound(idOrName);
        if (record.State.Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)
        {
            record.State.ManuallyStopped = true;
            if (record.State.Status == ContainerStatus.Restarting) CancelRestart(record);
            _store.Save(record);
        }
        return record;
    }

    private static void CancelRestart(ContainerRecord record)
    {
        record.State.Status = ContainerStatus.Exited;
        record.State.RestartAt = null;
    }

    /// <summary>Sends a signal to a running container; no state change of its own.</summary>
    public void Kill(string idOrName, int signal)
    {
        var record = Find(idOrName);
        if (record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            throw new EngineException("ContainerNotRunning", EngineErrorKind.InvalidState, $"Container {record.Name} is not running.", record.Name);
        RuntimeOf(record).Kill(record.Id, signal);
    }

    /// <summary>Running → Paused.</summary>
    public ContainerRecord Pause(string idOrName)
    {
        using var _ = _layout.Lock();
        var record = Refresh(FindRecord(idOrName), null) ?? throw NotFound(idOrName);
        if (record.State.Status == ContainerStatus.Paused) return record;
        if (record.State.Status == ContainerStatus.Restarting)
            throw new EngineException("ContainerRestarting", EngineErrorKind.InvalidState, $"Container {record.Name} is restarting; wait until it runs.", record.Name);
        if (record.State.Status != ContainerStatus.Running)
            throw new EngineException("ContainerNotRunning", EngineErrorKind.InvalidState, $"Container {record.Name} is not running.", record.Name);
        RuntimeOf(record).Pause(record.Id);
        record.State.Status = ContainerStatus.Paused;
        _store.Save(record);
        return record;
    }

    /// <summary>Paused → Running.</summary>
    public ContainerRecord Resume(string idOrName)
    {
        using var _ = _layout.Lock();
        var record = Refresh(FindRecord(idOrName), null) ?? throw NotFound(idOrName);
        if (record.State.Status != ContainerStatus.Paused)
            throw new EngineException("ContainerNotPaused", EngineErrorKind.InvalidState, $"Container {record.Name} is not paused.", record.Name);
        RuntimeOf(record).Resume(record.Id);
        record.State.Status = ContainerStatus.Running;
        _store.Save(record);
        return record;
    }

    /// <summary>
    /// Any state → removed. A running container needs <paramref name="force"/> (it is killed first);
    /// <paramref name="removeVolumes"/> removes its anonymous volumes too.
    /// </summary>
    public void Remove(string idOrName, bool force, bool removeVolumes = false)
    {
        var record = Find(idOrName);
        if (record.State.Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting)
        {
            if (!force)
                throw new EngineException("ContainerRunning", EngineErrorKind.InvalidState, $"Container {record.Name} is {record.State.Status.ToString().ToLowerInvariant()}; stop it first or use -Force.", record.Name);
            record = MarkStoppedByUser(record.Id);
        }
        if (record.State.Status is ContainerStatus.Running or ContainerStatus.Paused)
        {
            if (record.State.Status == ContainerStatus.Paused) Thaw(record);
            RuntimeOf(record).Kill(record.Id, Signals.SIGKILL, all: true);
            WaitForExitFile(record, TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        using var _ = _layout.Lock();
        var current = _store.Get(record.Id);
        if (current is null) return;
        Destroy(current, removeVolumes);
    }

    /// <summary>Blocks until the container has exited and returns its exit code.</summary>
    public int Wait(string idOrName, CancellationToken cancel)
    {
        ContainerRecord record;
        try
        {
            record = Find(idOrName);
        }
        catch (EngineException ex) when (ex.Kind == EngineErrorKind.NotFound && idOrName.Length == 64
            && idOrName.All(char.IsAsciiHexDigitLower) && ExitCodeAfterRemoval(idOrName) is { } code)
        {
            // An -AutoRemove container that ran and went before the wait began: its exit code outlives it.
            return code;
        }
        while (true)
        {
            if (record.State.Status == ContainerStatus.Exited)
                return record.State.ExitCode ?? -1;
            if (record.State.Status is ContainerStatus.Running or ContainerStatus.Paused)
            {
                if (WaitForExitFile(record, Timeout.InfiniteTimeSpan, cancel))
                {
                    // A container its restart policy starts again has not finished (docker wait blocks too).
                    var finished = Finish(record.Id);
                    if (finished is null) return ExitCodeAfterRemoval(record.Id) ?? -1;
                    if (finished.State.Status == ContainerStatus.Exited) return finished.State.ExitCode ?? -1;
                }
            }
            else
            {
                cancel.WaitHandle.WaitOne(100);
            }
            cancel.ThrowIfCancellationRequested();
            using var _ = _layout.Lock();
            // An auto-removed container may be gone by now; its exit file still tells how it ended.
            var current = _store.Get(record.Id) is { } stored ? Refresh(stored, null) : null;
            if (current is null) return ExitCodeAfterRemoval(record.Id) ?? throw NotFound(idOrName);
            record = current;
        }
    }

    /// <summary>
    /// Changes a container's restart policy and limits (docker update); a running or paused container's cgroup
    /// gets the new limits at once through the OCI runtime, and later starts use them too.
    /// </summary>
    public ContainerRecord Update(string idOrName, ContainerUpdate update)
    {
        using var _ = _layout.Lock();
        var record = Refresh(FindRecord(idOrName), null) ?? throw NotFound(idOrName);
        var settings = StoreJson.Clone(record.Settings, ContainerJsonContext.Default.ContainerSettings);
        update.ApplyTo(settings);
        Validate(settings);
        if (record.State.Status is ContainerStatus.Running or ContainerStatus.Paused && update.ChangesLimits)
        {
            var paths = _store.PathsOf(record.Id);
            var resources = SpecBuilder.Resources(settings);
            resources.Devices = null;
            var file = Path.Combine(paths.Dir, "resources.json");
            StoreJson.Write(file, resources, OciJsonContext.Default.OciResources);
            try
            {
                var result = RuntimeOf(record).Run("update", "--resources", file, record.Id);
                if (result.ExitCode != 0)
                    throw new EngineException("UpdateFailed", EngineErrorKind.ExternalFailure,
                        $"Cannot change the limits of container {record.Name}: {Conmon.CleanMessage(result.StdErr)}", record.Name);
            }
            finally
            {
                File.Delete(file);
            }
        }
        record.Settings = settings;
        _store.Save(record);
        return record;
    }

    /// <summary>
    /// Blocks until the container runs (<see cref="WaitCondition.Running"/>) or reports healthy
    /// (<see cref="WaitCondition.Healthy"/>) and returns it; fails when it has exited for good meanwhile.
    /// </summary>
    public ContainerRecord WaitFor(string idOrName, WaitCondition condition, CancellationToken cancel)
    {
        var record = Find(idOrName);
        if (condition == WaitCondition.Healthy && record.Settings.Healthcheck is not { Enabled: true })
            throw new EngineException("NoHealthcheck", EngineErrorKind.InvalidState, $"Container {record.Name} has no healthcheck.", record.Name);
        var seenRunning = false;
        while (true)
        {
            var running = record.State.Status == ContainerStatus.Running;
            if (condition == WaitCondition.Running && running) return record;
            if (condition == WaitCondition.Healthy && running && record.Health?.Status == HealthStatus.Healthy) return record;
            seenRunning |= running || record.State.Status is ContainerStatus.Paused or ContainerStatus.Restarting;
            // A container that ran and has stopped for good will not get there.
            if (seenRunning && record.State.Status == ContainerStatus.Exited)
                throw new EngineException("ContainerExited", EngineErrorKind.InvalidState,
                    $"Container {record.Name} exited with code {record.State.ExitCode} before it was {condition.ToString().ToLowerInvariant()}.", record.Name);
            if (cancel.WaitHandle.WaitOne(100)) cancel.ThrowIfCancellationRequested();
            record = Find(record.Id);
        }
    }

    /// <summary>The init pid of a running container, for -Pid/-Ipc container:&lt;name&gt;. Needs the store lock.</summary>
    private int RunningPid(string idOrName)
    {
        var target = Refresh(FindRecord(idOrName), null) ?? throw NotFound(idOrName);
        return target.State.Status == ContainerStatus.Running && target.State.Pid > 0 ? target.State.Pid
            : throw new EngineException("ContainerNotRunning", EngineErrorKind.InvalidState, $"Container {target.Name} must run to share its namespaces.", target.Name);
    }

    /// <summary>
    /// Removes, with their anonymous volumes, the containers whose owner (the session of a Use-Container) has
    /// ended without removing them: a killed pwsh leaves its scoped container to the next listing.
    /// </summary>
    public void RemoveAbandoned()
    {
        List<string> abandoned;
        using (_layout.Lock())
            abandoned = _store.List().Where(c => c.Owner is { } owner && !owner.IsAlive()).Select(c => c.Id).ToList();
        foreach (var id in abandoned)
        {
            try
            {
                Remove(id, force: true, removeVolumes: true);
            }
            catch (EngineException ex) when (ex.Kind == EngineErrorKind.NotFound)
            {
                // Another session removed it first.
            }
        }
    }

    /// <summary>Ends a container's owner, so that it outlives the session that made it (Use-Container -KeepOnFailure).</summary>
    public void Disown(string idOrName)
    {
        using var _ = _layout.Lock();
        var record = FindRecord(idOrName);
        record.Owner = null;
        _store.Save(record);
    }

    /// <summary>Renames a container.</summary>
    public ContainerRecord Rename(string idOrName, string newName)
    {
        ContainerNames.Validate(newName);
        using var _ = _layout.Lock();
        var record = FindRecord(idOrName);
        if (_store.List().Any(c => c.Name == newName && c.Id != record.Id))
            throw new EngineException("ContainerNameInUse", EngineErrorKind.AlreadyExists, $"The container name '{newName}' is already in use.", newName);
        record.Name = newName;
        _store.Save(record);
        _networks.Renamed(record);
        return record;
    }

    /// <summary>Connects a container to a network; a running one gets the next interface (eth1, …) at once.</summary>
    public ContainerRecord Connect(string idOrName, string network, IReadOnlyList<string> aliases) =>
        _networks.Connect(idOrName, network, aliases);

    /// <summary>Disconnects a container from a network; a running one loses that interface at once.</summary>
    public ContainerRecord Disconnect(string idOrName, string network) =>
        _networks.Disconnect(idOrName, network);

    /// <summary>
    /// Runs <paramref name="action"/> on the container's root filesystem, mounted at its rootfs directory, under
    /// the store lock so that nothing starts, stops or unmounts the container meanwhile. A stopped container's
    /// overlay is mounted for the call only; a running one is frozen when <paramref name="freeze"/> asks, so
    /// that its processes cannot swap paths under host-side file operations (as docker cp pauses).
    /// </summary>
    public T WithRootfs<T>(string idOrName, bool freeze, Func<ContainerRecord, ContainerPaths, T> action)
    {
        using var _ = _layout.Lock();
        var record = Refresh(FindRecord(idOrName), null) ?? throw NotFound(idOrName);
        var paths = _store.PathsOf(record.Id);
        var stopped = record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused);
        var frozen = freeze && record.State.Status == ContainerStatus.Running;
        if (stopped) MountRootfs(record, paths);
        try
        {
            if (frozen) RuntimeOf(record).Pause(record.Id);
            try
            {
                return action(record, paths);
            }
            finally
            {
                if (frozen) RuntimeOf(record).Resume(record.Id);
            }
        }
        finally
        {
            if (stopped) UnmountRootfs(record, paths);
        }
    }

    /// <summary>Whether the container's process still runs, read without the store lock (for followers).</summary>
    public bool IsRunning(string id)
    {
        var record = _store.Get(id);
        if (record is null || record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused)) return false;
        var paths = _store.PathsOf(id);
        if (File.Exists(paths.ExitFile) || File.Exists(_layout.ExitFile(id))) return false;
        return Libc.ProcessExists(record.State.ConmonPid) || Libc.ProcessExists(record.State.Pid);
    }

    /// <summary>The OCI runtime that manages a started container.</summary>
    public OciRuntime RuntimeOf(ContainerRecord record)
    {
        var path = record.State.RuntimePath ?? RuntimeFor(record).Path;
        var name = Path.GetFileName(path);
        return new OciRuntime(name, path, RuntimeStateDir(name));
    }

    /// <summary>
    /// After a reboot (or a wiped /run) nothing can still run: containers believed running are stopped for
    /// good (exit code from conmon's persist file, else 255), their mounts released.
    /// </summary>
    public void ReconcileBoot()
    {
        var bootId = BootId();
        var file = _layout.BootIdFile;
        if (File.Exists(file) && File.ReadAllText(file).Trim() == bootId) return;
        using var _ = _layout.Lock();
        if (File.Exists(file) && File.ReadAllText(file).Trim() == bootId) return;
        var mountPoints = OverlayMount.MountPoints();
        foreach (var record in _store.List())
        {
            if (record.State.Status is ContainerStatus.Running or ContainerStatus.Paused)
            {
                // A wiped /run in the same boot can leave a monitor behind that nothing can manage any more.
                if (record.State.BootId == bootId)
                {
                    // A frozen process would never see the SIGKILL.
                    _cgroups.Thaw(SpecBuilder.CgroupsPathOf(record.Id));
                    KillIfOurs(record.State.ConmonPid, "conmon");
                    KillIfOurs(record.State.Pid, null);
                }
                // Whether it comes back is Start-ContainerEngine's decision, as dockerd's when it starts.
                Conclude(record, exitCodeIfUnknown: 255, applyRestartPolicy: false);
            }
            if (record.State.Status == ContainerStatus.Restarting) CancelRestart(record);
            var paths = _store.PathsOf(record.Id);
            if (mountPoints.Contains(paths.Rootfs) && record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            {
                OverlayMount.Unmount(paths.Rootfs);
                record.State.Mounted = false;
            }
            _store.Save(record);
        }
        _store.Repair(mountPoints);
        _networks.Repair(_store.List());
        Directory.CreateDirectory(_layout.RunRoot);
        AtomicFile.WriteAllText(file, bootId);
    }

    /// <summary>Records an exit noticed by the exit file: Running/Paused → Exited (or removed with AutoRemove).</summary>
    private ContainerRecord? Finish(string id)
    {
        using var _ = _layout.Lock();
        var record = _store.Get(id);
        return record is null ? null : Refresh(record, null);
    }

    /// <summary>
    /// Brings one record up to date: an exited process is recorded, its runtime state and mount released,
    /// and an -AutoRemove container removed (null is returned then). Needs the store lock.
    /// </summary>
    private ContainerRecord? Refresh(ContainerRecord record, ISet<string>? mountPoints)
    {
        if (record.State.Status is ContainerStatus.Running or ContainerStatus.Paused)
        {
            var paths = _store.PathsOf(record.Id);
            var exited = File.Exists(paths.ExitFile) || File.Exists(_layout.ExitFile(record.Id));
            var monitorGone = !exited && !Libc.ProcessExists(record.State.ConmonPid) && !Libc.ProcessExists(record.State.Pid);
            if (!exited && !monitorGone) return record;
            Conclude(record, exitCodeIfUnknown: 255);
            _store.Save(record);
        }
        else if (record.State.Mounted || (mountPoints?.Contains(_store.PathsOf(record.Id).Rootfs) ?? false))
        {
            UnmountRootfs(record, _store.PathsOf(record.Id));
            record.State.Mounted = false;
            _store.Save(record);
        }
        if (record.State.Status == ContainerStatus.Exited && record.Settings.AutoRemove)
        {
            Destroy(record);
            return null;
        }
        // The exit command normally restarts it when due; without one (or when it was killed) the next look does.
        if (record.State.Status == ContainerStatus.Restarting && record.State.RestartAt is { } due && due + OverdueRestart < DateTimeOffset.UtcNow)
        {
            try { return StartCore(record, null, byPolicy: true); }
            catch (EngineException) { return _store.Get(record.Id) ?? record; }
        }
        return record;
    }

    /// <summary>
    /// What the exit command does for a container its restart policy starts again: waits out the back-off
    /// (without the store lock) and starts it, unless the user stopped, started or removed it meanwhile.
    /// </summary>
    public void RestartWhenDue(string id)
    {
        DateTimeOffset due;
        using (_layout.Lock())
        {
            if (_store.Get(id) is not { State: { Status: ContainerStatus.Restarting, RestartAt: { } at } }) return;
            due = at;
        }
        var wait = due - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        using (_layout.Lock())
        {
            if (_store.Get(id) is { State: { Status: ContainerStatus.Restarting, RestartAt: { } at } } record && at == due)
                StartCore(record, null, byPolicy: true);
        }
    }

    /// <summary>
    /// Running/Paused → Exited, reading conmon's exit and oom files; → Restarting instead when
    /// <paramref name="applyRestartPolicy"/> and the policy, the exit code and the history say so.
    /// </summary>
    private void Conclude(ContainerRecord record, int exitCodeIfUnknown, bool applyRestartPolicy = true)
    {
        var paths = _store.PathsOf(record.Id);
        var exitFile = File.Exists(paths.ExitFile) ? paths.ExitFile : _layout.ExitFile(record.Id);
        int? code = null;
        DateTimeOffset finished = DateTimeOffset.UtcNow;
        if (File.Exists(exitFile) && int.TryParse(File.ReadAllText(exitFile).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            code = parsed;
            finished = File.GetLastWriteTimeUtc(exitFile);
        }
        record.State.Status = ContainerStatus.Exited;
        record.State.ExitCode = code ?? exitCodeIfUnknown;
        record.State.OomKilled = File.Exists(paths.OomFile);
        record.State.FinishedAt = finished;
        var restartIn = applyRestartPolicy
            ? RestartDecision.AfterExit(RestartPolicy.Parse(record.Settings.RestartPolicy), record.State.ExitCode.Value, record.State.ManuallyStopped,
                record.State.RestartCount, TimeSpan.FromMilliseconds(record.State.RestartDelayMs), finished - (record.State.StartedAt ?? finished))
            : null;
        if (restartIn is { } delay)
        {
            // conmon's exit command carries out the restart: its monitors stay.
            record.State.Status = ContainerStatus.Restarting;
            record.State.RestartDelayMs = (long)delay.TotalMilliseconds;
            record.State.RestartAt = finished + delay;
        }
        // With the exit recorded, conmon has nothing left to do but wait out its exit-command delay. It writes
        // the run root's exit file last (through a temporary file); it is not stopped before that is done.
        else if (code is not null && WaitForFile(_layout.ExitFile(record.Id), TimeSpan.FromMilliseconds(500)))
            KillMonitors(record.Id);
        record.State.Pid = 0;
        record.State.ConmonPid = 0;
        RuntimeOf(record).Delete(record.Id, force: true);
        _cgroups.Remove(SpecBuilder.CgroupsPathOf(record.Id));
        UnmountRootfs(record, paths);
        record.State.Mounted = false;
        _networks.Detach(record);
    }

    /// <summary>
    /// Removes a stopped container and everything it owns; its anonymous volumes go too when asked or when it
    /// was created with -AutoRemove, as with <c>docker run --rm</c>. Needs the store lock.
    /// </summary>
    private void Destroy(ContainerRecord record, bool removeVolumes = false)
    {
        var paths = _store.PathsOf(record.Id);
        // A removed container needs no exit command; its conmon may still be waiting to run one (a
        // concluded container's monitors went when its exit was recorded).
        if (record.State.Status != ContainerStatus.Exited) KillMonitors(record.Id);
        RuntimeOf(record).Delete(record.Id, force: true);
        _cgroups.Remove(SpecBuilder.CgroupsPathOf(record.Id));
        UnmountRootfs(record, paths);
        // An -AutoRemove container's exit code stays in the run root for Wait-Container; RemoveStaleExitFiles ends it.
        if (!record.Settings.AutoRemove) File.Delete(_layout.ExitFile(record.Id));
        // A conmon stopped while it wrote the exit file leaves its temporary file (<id>.XXXXXX) behind.
        // (No "<id>.*" search pattern: .NET lets it match "<id>" itself, the exit file waiters still read.)
        foreach (var partial in Directory.EnumerateFiles(_layout.ExitDir, record.Id + "*"))
            if (Path.GetFileName(partial).Length > record.Id.Length) File.Delete(partial);
        // conmon leaves its attach-socket link behind.
        var socketLink = Path.Combine(_layout.SocketDir, record.Id);
        if (new FileInfo(socketLink).LinkTarget is not null || File.Exists(socketLink)) File.Delete(socketLink);
        DirectoryTree.Delete(socketLink);
        // And those of the container's exec sessions, which link into its directory.
        foreach (var link in Directory.EnumerateFileSystemEntries(_layout.SocketDir))
            if (new FileInfo(link).LinkTarget is { } target && target.StartsWith(paths.Dir + "/", StringComparison.Ordinal))
                File.Delete(link);
        _networks.Detach(record);
        _store.Delete(record.Id);
        if (removeVolumes || record.Settings.AutoRemove)
            _volumes.RemoveAnonymous(record.Id, record.Settings.Mounts);
    }

    /// <summary>The exit code conmon recorded for a container that is gone (removed by -AutoRemove).</summary>
    private int? ExitCodeAfterRemoval(string id)
    {
        var file = _layout.ExitFile(id);
        try
        {
            return int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) ? code : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes run-root exit files of containers that are gone and whose waiters have had their chance.</summary>
    private void RemoveStaleExitFiles(IEnumerable<ContainerRecord> containers)
    {
        var known = containers.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_layout.ExitDir))
        {
            if (!known.Contains(Path.GetFileName(file)) && File.GetLastWriteTimeUtc(file) < DateTime.UtcNow.AddMinutes(-10))
                File.Delete(file);
        }
    }

    private static bool WaitForFile(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow >= deadline) return false;
            Thread.Sleep(1);
        }
        return true;
    }

    /// <summary>Thaws a paused container's cgroup so the signals that follow reach it.</summary>
    private void Thaw(ContainerRecord record)
    {
        try { RuntimeOf(record).Resume(record.Id); }
        catch (EngineException) { _cgroups.Thaw(SpecBuilder.CgroupsPathOf(record.Id)); }
    }

    private bool WaitForExitFile(ContainerRecord record, TimeSpan timeout, CancellationToken cancel)
    {
        var paths = _store.PathsOf(record.Id);
        var exitDirFile = _layout.ExitFile(record.Id);
        var started = DateTime.UtcNow;
        var deadline = timeout == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : started + timeout;
        var delay = 1;
        while (true)
        {
            if (File.Exists(paths.ExitFile) || File.Exists(exitDirFile)) return true;
            if (!Libc.ProcessExists(record.State.ConmonPid) && !Libc.ProcessExists(record.State.Pid)) return true;
            if (!Directory.Exists(paths.Dir)) return true;
            if (DateTime.UtcNow >= deadline) return false;
            if (cancel.WaitHandle.WaitOne(delay)) cancel.ThrowIfCancellationRequested();
            // Short jobs are the common case: poll briskly for a few seconds, then back off.
            delay = Math.Min(delay * 2, DateTime.UtcNow - started < TimeSpan.FromSeconds(3) ? 5 : 50);
        }
    }

    private void MountRootfs(ContainerRecord record, ContainerPaths paths)
    {
        if (OverlayMount.MountPoints().Contains(paths.Rootfs)) return;
        var links = record.Layers.AsEnumerable().Reverse().Select(c => _layers.LinkPath(_layers.Get(c))).ToList();
        // A previous crash may have left the workdir's index in use; overlay wants it empty.
        DirectoryTree.Delete(paths.Work);
        Directory.CreateDirectory(paths.Work);
        Directory.CreateDirectory(paths.Rootfs);
        OverlayMount.Mount(_layout.Root, links, paths.Upper, paths.Work, paths.Rootfs);
    }

    private static void UnmountRootfs(ContainerRecord record, ContainerPaths paths)
    {
        if (Directory.Exists(paths.Rootfs)) OverlayMount.Unmount(paths.Rootfs);
    }

    private void WriteEtcFiles(ContainerRecord record, ContainerPaths paths) =>
        _networks.WriteEtcFiles(record, paths.Dir);

    private ContainerRecord FindRecord(string idOrName)
    {
        var direct = _store.Get(idOrName);
        if (direct is not null) return direct;
        var all = _store.List();
        var byName = all.FirstOrDefault(c => c.Name == idOrName);
        if (byName is not null) return byName;
        if (idOrName.Length >= 3 && idOrName.All(char.IsAsciiHexDigitLower))
        {
            var matches = all.Where(c => c.Id.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1) return matches[0];
            if (matches.Count > 1)
                throw new EngineException("AmbiguousContainerId", EngineErrorKind.InvalidArgument, $"Container id prefix '{idOrName}' matches {matches.Count} containers.", idOrName);
        }
        throw NotFound(idOrName);
    }

    private static EngineException NotFound(string idOrName) =>
        new("ContainerNotFound", EngineErrorKind.NotFound, $"No such container: {idOrName}", idOrName);

    private RuntimeSelection RuntimeFor(ContainerRecord record) =>
        record.Settings.Runtime is { } name ? RuntimeSelector.Select(name, _cgroups) : DefaultRuntime;

    private string RuntimeStateDir(string runtimeName) => Path.Combine(_layout.RuntimeStateDir, runtimeName);

    /// <summary>The conmon binary on the PATH.</summary>
    internal static string ConmonPath() =>
        ProcessRunner.Which("conmon") ?? throw new EngineException("ConmonNotFound", EngineErrorKind.NotInstalled,
            "conmon was not found. Install it: apt-get install conmon.");

    private static void Validate(ContainerSettings settings)
    {
        if (settings.Memory is { } memory && memory < 6 * 1024 * 1024)
            throw new EngineException("InvalidMemory", EngineErrorKind.InvalidArgument, $"Memory limit {memory} is invalid: the minimum is 6MB.", memory);
        if (settings.MemorySwap is { } swap && settings.Memory is { } mem && swap != -1 && swap < mem)
            throw new EngineException("InvalidMemorySwap", EngineErrorKind.InvalidArgument, "MemorySwap (memory plus swap) must not be less than Memory.", swap);
        if (settings.Cpus is { } cpus && (cpus <= 0 || cpus > Environment.ProcessorCount))
            throw new EngineException("InvalidCpus", EngineErrorKind.InvalidArgument, $"Cpus must be more than 0 and at most {Environment.ProcessorCount} (the CPUs this host has).", cpus);
        if (settings.PidsLimit is { } pids && pids == 0)
            throw new EngineException("InvalidPidsLimit", EngineErrorKind.InvalidArgument, "PidsLimit must be positive (or -1 for unlimited).", pids);
        if (settings.WorkingDirectory is { } cwd && !cwd.StartsWith('/'))
            throw new EngineException("InvalidWorkingDirectory", EngineErrorKind.InvalidArgument, $"WorkingDirectory '{cwd}' must be an absolute path.", cwd);
        if (settings.Hostname is { } host && (host.Length > 64 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')))
            throw new EngineException("InvalidHostname", EngineErrorKind.InvalidArgument, $"Hostname '{host}' is invalid.", host);
        foreach (var env in settings.Environment)
            if (env.Length == 0 || env[0] == '=')
                throw new EngineException("InvalidEnvironment", EngineErrorKind.InvalidArgument, $"Environment entry '{env}' needs a name.", env);
        foreach (var limit in settings.Ulimits)
            HostLimits.Check(limit);
        Signals.Parse(settings.StopSignal);
        var policy = RestartPolicy.Parse(settings.RestartPolicy);
        if (!policy.IsNone && settings.AutoRemove)
            throw new EngineException("RestartPolicyWithAutoRemove", EngineErrorKind.InvalidArgument,
                $"A container removed when it exits cannot be restarted: -AutoRemove and -RestartPolicy {policy} conflict.", policy.ToString());
        settings.RestartPolicy = policy.IsNone ? null : policy.ToString();
        settings.Healthcheck?.Validate();
        if (settings.Init) InitProcess.Find();
        RunOptionsSpec.Validate(settings.Run, settings.Network, settings.Memory);
    }

    private static int ReadPid(string file) =>
        int.TryParse(File.Exists(file) ? File.ReadAllText(file).Trim() : "", NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0;

    private static string BootId() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();

    /// <summary>
    /// Kills what is left of a container's conmon: the forked child that waits out the exit-command delay
    /// is a conmon of its own, with a pid nobody recorded, so it is found by its command line.
    /// </summary>
    private static void KillMonitors(string containerId)
    {
        // A conmon killed during one scan may have forked its exit-command child just before; the next
        // scan sees that child. Once a scan finds nothing, nothing is left that could fork.
        var killed = new HashSet<int>();
        for (var scan = 0; scan < 5 && KillMonitorsOnce(containerId, killed) > 0; scan++) { }
    }

    private static int KillMonitorsOnce(string containerId, HashSet<int> killed)
    {
        var found = 0;
        var marker = System.Text.Encoding.ASCII.GetBytes("\0-c\0" + containerId + "\0");
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || killed.Contains(pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() != "conmon") continue;
                if (File.ReadAllBytes(Path.Combine(dir, "cmdline")).AsSpan().IndexOf(marker) >= 0 && Libc.kill(pid, Signals.SIGKILL) == 0 && killed.Add(pid))
                    found++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was looked at.
            }
        }
        return found;
    }

    private static void KillIfOurs(int pid, string? expectedCommand)
    {
        if (pid <= 0 || !Libc.ProcessExists(pid)) return;
        if (expectedCommand is not null)
        {
            try
            {
                var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
                if (comm != expectedCommand) return;
            }
            catch (IOException) { return; }
        }
        Libc.kill(pid, Signals.SIGKILL);
    }
}
