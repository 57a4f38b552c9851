using System.Globalization;
using System.Runtime.InteropServices;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Lists a running container's processes (docker top): the runtime names the pids in the container's
/// cgroup, and /proc describes each.
/// </summary>
internal static partial class ContainerProcesses
{
    private const int SC_CLK_TCK = 2;

    [LibraryImport("libc")]
    private static partial long sysconf(int name);

    /// <summary>The processes of a running container, in pid order.</summary>
    public static List<ContainerProcess> Of(ContainerManager containers, string idOrName)
    {
        var record = containers.Find(idOrName);
        if (record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            throw new EngineException("ContainerNotRunning", EngineErrorKind.InvalidState, $"Container {record.Name} is not running.", record.Name);
        var users = ContainerUser.Names(containers.Store.PathsOf(record.Id).Rootfs);
        var bootTime = BootTime();
        var ticks = sysconf(SC_CLK_TCK) is > 0 and var t ? t : 100;
        var list = new List<ContainerProcess>();
        foreach (var pid in containers.RuntimeOf(record).Processes(record.Id).Order())
        {
            // A process can exit between the listing and the reading; it is simply not shown.
            if (Read("/proc", pid, record.Name, users, bootTime, ticks) is { } process) list.Add(process);
        }
        return list;
    }

    /// <summary>Describes one process from <c>&lt;procRoot&gt;/&lt;pid&gt;</c>, or null when it is gone.</summary>
    internal static ContainerProcess? Read(string procRoot, int pid, string container, IReadOnlyDictionary<uint, string> users, DateTimeOffset bootTime, long ticksPerSecond)
    {
        string stat, status, cmdline;
        try
        {
            var dir = Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));
            stat = File.ReadAllText(Path.Combine(dir, "stat"));
            status = File.ReadAllText(Path.Combine(dir, "status"));
            cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var name = stat[(open + 1)..close];
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20) return null;
        long Field(int number) => long.Parse(fields[number - 3], NumberStyles.None, CultureInfo.InvariantCulture);

        uint uid = 0;
        var containerPid = pid;
        foreach (var line in status.Split('\n'))
        {
            var values = line[(line.IndexOf(':') + 1)..].Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (line.StartsWith("Uid:", StringComparison.Ordinal) && values.Length > 1)
                uid = uint.Parse(values[1], NumberStyles.None, CultureInfo.InvariantCulture);
            // NSpid lists the pid in each nested namespace, outermost first; the last is the container's.
            else if (line.StartsWith("NSpid:", StringComparison.Ordinal) && values.Length > 0)
                containerPid = int.Parse(values[^1], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        var args = cmdline.TrimEnd('\0');
        return new ContainerProcess
        {
            Container = container,
            Pid = pid,
            ParentPid = (int)Field(4),
            ContainerPid = containerPid,
            Uid = uid,
            User = users.TryGetValue(uid, out var user) ? user : uid.ToString(CultureInfo.InvariantCulture),
            State = fields[0],
            Name = name,
            CommandLine = args.Length > 0 ? args.Replace('\0', ' ') : "[" + name + "]",
            StartTime = bootTime + TimeSpan.FromSeconds((double)Field(22) / ticksPerSecond),
            CpuTime = TimeSpan.FromSeconds((double)(Field(14) + Field(15)) / ticksPerSecond),
        };
    }

    private static DateTimeOffset BootTime()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
            if (line.StartsWith("btime ", StringComparison.Ordinal))
                return DateTimeOffset.FromUnixTimeSeconds(long.Parse(line[6..].Trim(), CultureInfo.InvariantCulture));
        throw new EngineException("ProcUnreadable", EngineErrorKind.ExternalFailure, "/proc/stat has no boot time.");
    }
}
