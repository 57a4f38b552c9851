using System.Diagnostics;
using System.Globalization;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Samples containers' cgroups. CPU percent needs two samples of the same container: the CPU time used
/// between them over the wall time between them; a container's first sample shows 0.
/// </summary>
internal sealed class ContainerStatsSampler
{
    private readonly ContainerStore _store;
    private readonly CgroupHost _cgroups;
    private readonly long _hostMemory = HostMemory();
    private readonly Dictionary<string, string?> _cgroupPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ulong Cpu, long Timestamp)> _previous = new(StringComparer.Ordinal);

    /// <summary>Samples the containers of <paramref name="store"/> through the host's cgroups.</summary>
    public ContainerStatsSampler(ContainerStore store, CgroupHost cgroups)
    {
        _store = store;
        _cgroups = cgroups;
    }

    /// <summary>A sample of a started container, or null when its cgroup is gone (it stopped).</summary>
    public ContainerStats? Sample(ContainerRecord record)
    {
        if (!_cgroupPaths.TryGetValue(record.Id, out var cgroupsPath))
        {
            // The bundle names the cgroup the runtime put the container in.
            var config = _store.PathsOf(record.Id).BundleConfig;
            _cgroupPaths[record.Id] = cgroupsPath = StoreJson.TryRead(config, OciJsonContext.Default.OciSpec)?.Linux.CgroupsPath;
        }
        if (cgroupsPath is null || CgroupUsage.Read(_cgroups, cgroupsPath) is not { } usage) return null;

        var now = Stopwatch.GetTimestamp();
        var percent = 0.0;
        if (_previous.TryGetValue(record.Id, out var previous) && now > previous.Timestamp && usage.CpuNanoseconds >= previous.Cpu)
            percent = 100.0 * (usage.CpuNanoseconds - previous.Cpu) / Stopwatch.GetElapsedTime(previous.Timestamp, now).TotalNanoseconds;
        _previous[record.Id] = (usage.CpuNanoseconds, now);
        return new ContainerStats
        {
            Name = record.Name,
            Id = record.Id,
            Time = DateTimeOffset.UtcNow,
            CpuPercent = percent,
            CpuTime = TimeSpan.FromTicks((long)(usage.CpuNanoseconds / 100)),
            MemoryUsage = usage.MemoryBytes,
            MemoryLimit = usage.MemoryLimit is { } limit && limit < _hostMemory ? limit : _hostMemory,
            Pids = usage.Pids,
            BlockRead = usage.ReadBytes,
            BlockWrite = usage.WriteBytes,
        };
    }

    private static long HostMemory()
    {
        // "MemTotal:       16318412 kB"
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                && long.TryParse(line[9..].Replace("kB", "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                return kb * 1024;
        return 0;
    }
}
