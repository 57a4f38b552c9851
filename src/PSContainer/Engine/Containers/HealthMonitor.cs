using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Containers;

/// <summary>
/// The store's health monitor: one small background process that runs the healthchecks of every running
/// container that has one, with no pwsh open and no systemd. It starts with the first such container (any
/// start launches it when none runs), holds a lock in the run root while it lives, notices containers that
/// start and stop by the change time of their records, and exits a few seconds after the last one stopped.
/// One process for all containers keeps the cost per container to a share of one .NET runtime.
/// </summary>
internal static class HealthMonitor
{
    /// <summary>How often the store is looked at for containers that started or stopped.</summary>
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(1);

    /// <summary>How long the monitor outlives the last healthchecked container.</summary>
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Probes running at once: each is an OCI runtime exec of some megabytes and a blocked thread here, so many
    /// containers due together take turns instead of all starting at once.
    /// </summary>
    private static readonly int ConcurrentProbes = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>The lock the running monitor holds.</summary>
    public static string LockFile(StoreLayout layout) => Path.Combine(layout.RunRoot, "health-monitor.lock");

    /// <summary>Where the monitor writes what went wrong.</summary>
    public static string LogFile(StoreLayout layout) => Path.Combine(layout.RunRoot, "health-monitor.log");

    /// <summary>Whether a monitor holds the lock.</summary>
    public static bool IsRunning(StoreLayout layout)
    {
        var fd = Libc.open(LockFile(layout), Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0x180);
        if (fd < 0) return false;
        try
        {
            return Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) != 0;
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>Starts the monitor in a session of its own unless one runs (a second one started in a race exits at once).</summary>
    public static void EnsureRunning(StoreLayout layout)
    {
        if (IsRunning(layout) || ExitCommand.HealthMonitor(layout) is not { } command) return;
        // sh puts it in the background with its streams away from the caller's, and ends at once.
        var environment = new Dictionary<string, string>(command.Environment, StringComparer.Ordinal)
        {
            // A small heap when it runs on the .NET runtime: the monitor only schedules probes and writes small files.
            ["DOTNET_GCgen0size"] = "0x100000",
            ["DOTNET_GCConserveMemory"] = "9",
        };
        ProcessRunner.Run("/bin/sh", ["-c", "log=$1; shift; setsid \"$@\" </dev/null >>\"$log\" 2>&1 &", "sh", LogFile(layout), command.Program, .. command.Arguments], environment);
    }

    /// <summary>The monitor's life; returns its exit code.</summary>
    public static int Run(StoreLayout layout, ContainerManager containers, ContainerExec exec)
    {
        var fd = Libc.open(LockFile(layout), Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0x180);
        if (fd < 0 || Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) != 0) return 0;
        var checker = new HealthChecker(layout, containers, exec);
        using var slots = new SemaphoreSlim(ConcurrentProbes);
        var watched = new Dictionary<string, Watched>(StringComparer.Ordinal);
        var idleSince = DateTimeOffset.UtcNow;
        // The store is gone (removed while containers ran): nothing left to watch.
        while (Directory.Exists(layout.ContainersDir))
        {
            Scan(layout, containers, watched);
            var now = DateTimeOffset.UtcNow;
            if (watched.Count > 0 || watched.Values.Any(w => w.Probing)) idleSince = now;
            else if (now - idleSince > IdleExit) return 0;
            foreach (var entry in watched.Values)
            {
                if (entry.Probing || entry.Due > now) continue;
                // A probe due while all slots are busy waits for the next turn of the loop.
                if (!slots.Wait(0)) break;
                entry.Probing = true;
                var current = entry;
                _ = Task.Run(() =>
                {
                    try { ProbeOnce(checker, current); }
                    finally { slots.Release(); }
                });
            }
            var next = slots.CurrentCount == 0 ? now + TimeSpan.FromMilliseconds(50)
                : watched.Values.Where(w => !w.Probing).Select(w => w.Due).DefaultIfEmpty(now + Rescan).Min();
            var sleep = next - DateTimeOffset.UtcNow;
            Thread.Sleep(sleep < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : sleep > Rescan ? Rescan : sleep);
        }
        return 0;
    }

    private static void ProbeOnce(HealthChecker checker, Watched entry)
    {
        try
        {
            var (probe, health, becameUnhealthy) = checker.Probe(entry.Id, CancellationToken.None);
            entry.Due = probe.End + HealthState.NextDelay(entry.Config, health.Status, entry.RunStartedAt, probe.End);
            if (becameUnhealthy && entry.Config.Action != HealthFailureAction.None)
                checker.Act(entry.Id, entry.Config.Action);
        }
        catch (Exception ex)
        {
            // The container stopped meanwhile, or the probe could not run: the next scan decides.
            if (ex is not EngineException) Console.Error.WriteLine($"{DateTimeOffset.UtcNow:O} {entry.Id[..12]}: {ex}");
            entry.Due = DateTimeOffset.UtcNow + entry.Config.EffectiveInterval;
        }
        finally
        {
            entry.Probing = false;
        }
    }

    /// <summary>Brings the watch list in line with the store: running containers with a healthcheck.</summary>
    private static void Scan(StoreLayout layout, ContainerManager containers, Dictionary<string, Watched> watched)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> dirs;
        try { dirs = Directory.GetDirectories(layout.ContainersDir); }
        catch (DirectoryNotFoundException) { dirs = []; }
        foreach (var dir in dirs)
        {
            var id = Path.GetFileName(dir);
            if (id.StartsWith('.')) continue;
            DateTime changed;
            try { changed = File.GetLastWriteTimeUtc(Path.Combine(dir, "container.json")); }
            catch (IOException) { continue; }
            watched.TryGetValue(id, out var entry);
            if (entry is not null && entry.RecordChanged == changed)
            {
                seen.Add(id);
                continue;
            }
            var record = containers.Store.Get(id);
            if (record is not { State.Status: ContainerStatus.Running, Settings.Healthcheck: { Enabled: true } config }) continue;
            seen.Add(id);
            var startedAt = record.State.StartedAt ?? DateTimeOffset.UtcNow;
            if (entry is null || entry.RunStartedAt != startedAt)
            {
                var health = record.Health ?? new HealthState { RunStartedAt = startedAt };
                var last = health.Log.Count > 0 ? health.Log[^1].End : startedAt;
                entry = new Watched(id, config, startedAt) { Due = last + HealthState.NextDelay(config, health.Status, startedAt, last) };
                watched[id] = entry;
            }
            entry.RecordChanged = changed;
        }
        foreach (var gone in watched.Keys.Where(id => !seen.Contains(id) && !watched[id].Probing).ToList())
            watched.Remove(gone);
    }

    private sealed class Watched(string id, HealthConfig config, DateTimeOffset runStartedAt)
    {
        public string Id { get; } = id;
        public HealthConfig Config { get; } = config;
        public DateTimeOffset RunStartedAt { get; } = runStartedAt;
        public DateTime RecordChanged { get; set; }
        private long _due;
        private volatile bool _probing;

        public DateTimeOffset Due
        {
            get => new(Interlocked.Read(ref _due), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _due, value.UtcTicks);
        }

        public bool Probing
        {
            get => _probing;
            set => _probing = value;
        }
    }
}
