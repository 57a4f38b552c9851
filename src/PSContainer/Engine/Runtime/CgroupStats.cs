using System.Globalization;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// A container's resource use, read from its cgroup: the unified files on cgroup v2, the per-controller
/// hierarchies on v1 and hybrid hosts. A file that is missing or unreadable counts as 0 (or no limit).
/// </summary>
internal sealed record CgroupStats(long MemoryUsage, long? MemoryLimit, ulong CpuUsageNanoseconds, long Pids, long IoReadBytes, long IoWriteBytes)
{
    // The v1 memory controller reports "no limit" as the largest page-aligned counter value.
    private const long V1UnlimitedThreshold = long.MaxValue / 2;

    /// <summary>Reads the stats of the cgroup at <paramref name="cgroupsPath"/> (the spec's linux.cgroupsPath).</summary>
    public static CgroupStats Read(CgroupHost host, string cgroupsPath) =>
        host.Mode == CgroupMode.V2 ? ReadV2(host, cgroupsPath) : ReadV1(host, cgroupsPath);

    private static CgroupStats ReadV2(CgroupHost host, string cgroupsPath)
    {
        var dir = host.ContainerDir(cgroupsPath, "");
        var memory = ReadLong(Path.Combine(dir, "memory.current")) ?? 0;
        var maxText = ReadText(Path.Combine(dir, "memory.max"))?.Trim();
        long? limit = maxText is null or "max" ? null : ParseLong(maxText);

        ulong cpu = 0;
        foreach (var (key, value) in KeyValues(Path.Combine(dir, "cpu.stat")))
            if (key == "usage_usec" && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var usec))
                cpu = usec * 1000;

        long read = 0, write = 0;
        foreach (var line in Lines(Path.Combine(dir, "io.stat")))
        {
            // "<major>:<minor> rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N"
            foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                var eq = field.IndexOf('=');
                if (eq <= 0 || ParseLong(field[(eq + 1)..]) is not { } n) continue;
                switch (field[..eq])
                {
                    case "rbytes": read += n; break;
                    case "wbytes": write += n; break;
                }
            }
        }

        return new CgroupStats(memory, limit, cpu, ReadLong(Path.Combine(dir, "pids.current")) ?? 0, read, write);
    }

    private static CgroupStats ReadV1(CgroupHost host, string cgroupsPath)
    {
        var memoryDir = host.ContainerDir(cgroupsPath, "memory");
        var memory = ReadLong(Path.Combine(memoryDir, "memory.usage_in_bytes")) ?? 0;
        var limit = ReadLong(Path.Combine(memoryDir, "memory.limit_in_bytes"));
        if (limit >= V1UnlimitedThreshold) limit = null;

        var cpuText = ReadText(Path.Combine(host.ContainerDir(cgroupsPath, "cpuacct"), "cpuacct.usage"))?.Trim();
        var cpu = ulong.TryParse(cpuText, NumberStyles.None, CultureInfo.InvariantCulture, out var ns) ? ns : 0;

        var pids = ReadLong(Path.Combine(host.ContainerDir(cgroupsPath, "pids"), "pids.current")) ?? 0;

        long read = 0, write = 0;
        foreach (var line in Lines(Path.Combine(host.ContainerDir(cgroupsPath, "blkio"), "blkio.throttle.io_service_bytes")))
        {
            // "<major>:<minor> <Read|Write|Sync|Async|Discard|Total> N", closed by a "Total N" line.
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || ParseLong(parts[2]) is not { } n) continue;
            switch (parts[1])
            {
                case "Read": read += n; break;
                case "Write": write += n; break;
            }
        }

        return new CgroupStats(memory, limit, cpu, pids, read, write);
    }

    private static string? ReadText(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    private static IEnumerable<string> Lines(string path) =>
        (ReadText(path) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<(string Key, string Value)> KeyValues(string path)
    {
        foreach (var line in Lines(path))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2) yield return (parts[0], parts[1]);
        }
    }

    private static long? ReadLong(string path) => ParseLong(ReadText(path)?.Trim());

    private static long? ParseLong(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
