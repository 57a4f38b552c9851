using System.Globalization;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// What a container's cgroup has used, read from the v1 controller hierarchies (also on hybrid hosts) or
/// the v2 unified files. Memory leaves out inactive page cache, as <c>docker stats</c> does.
/// </summary>
internal readonly record struct CgroupUsage(long MemoryBytes, long? MemoryLimit, ulong CpuNanoseconds, long Pids, long ReadBytes, long WriteBytes)
{
    // v1 reports "no limit" as the largest page-aligned counter value.
    private const long V1Unlimited = long.MaxValue / 2;

    /// <summary>Reads the cgroup at <paramref name="cgroupsPath"/> (the spec's linux.cgroupsPath); null when it is gone.</summary>
    public static CgroupUsage? Read(CgroupHost host, string cgroupsPath)
    {
        if (host.Mode == CgroupMode.V2)
        {
            var dir = host.ContainerDir(cgroupsPath, "");
            if (!Directory.Exists(dir)) return null;
            var stat = KeyValues(Path.Combine(dir, "memory.stat"));
            var max = Text(Path.Combine(dir, "memory.max"));
            long read = 0, write = 0;
            // io.stat: "<major>:<minor> rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" per device.
            foreach (var line in Lines(Path.Combine(dir, "io.stat")))
                foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
                {
                    var pair = field.Split('=', 2);
                    if (pair.Length == 2 && pair[0] == "rbytes") read += Number(pair[1]) ?? 0;
                    if (pair.Length == 2 && pair[0] == "wbytes") write += Number(pair[1]) ?? 0;
                }
            return new CgroupUsage(
                Math.Max(0, (Number(Text(Path.Combine(dir, "memory.current"))) ?? 0) - stat.GetValueOrDefault("inactive_file")),
                max is null or "max" ? null : Number(max),
                (ulong)KeyValues(Path.Combine(dir, "cpu.stat")).GetValueOrDefault("usage_usec") * 1000,
                Number(Text(Path.Combine(dir, "pids.current"))) ?? 0,
                read, write);
        }

        var memory = host.ContainerDir(cgroupsPath, "memory");
        if (!Directory.Exists(memory)) return null;
        var limit = Number(Text(Path.Combine(memory, "memory.limit_in_bytes")));
        long v1Read = 0, v1Write = 0;
        // "<major>:<minor> Read|Write|Sync|Async|Discard|Total N" per device, then "Total N".
        foreach (var line in Lines(Path.Combine(host.ContainerDir(cgroupsPath, "blkio"), "blkio.throttle.io_service_bytes_recursive")))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && parts[1] == "Read") v1Read += Number(parts[2]) ?? 0;
            if (parts.Length == 3 && parts[1] == "Write") v1Write += Number(parts[2]) ?? 0;
        }
        return new CgroupUsage(
            Math.Max(0, (Number(Text(Path.Combine(memory, "memory.usage_in_bytes"))) ?? 0)
                - KeyValues(Path.Combine(memory, "memory.stat")).GetValueOrDefault("total_inactive_file")),
            limit is null or >= V1Unlimited ? null : limit,
            (ulong)(Number(Text(Path.Combine(host.ContainerDir(cgroupsPath, "cpuacct"), "cpuacct.usage"))) ?? 0),
            Number(Text(Path.Combine(host.ContainerDir(cgroupsPath, "pids"), "pids.current"))) ?? 0,
            v1Read, v1Write);
    }

    // A controller file can vanish as the container exits; it then reads as nothing.
    private static string? Text(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    private static string[] Lines(string path) => (Text(path) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Dictionary<string, long> KeyValues(string path)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in Lines(path))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && Number(parts[1]) is { } n) values[parts[0]] = n;
        }
        return values;
    }

    private static long? Number(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
