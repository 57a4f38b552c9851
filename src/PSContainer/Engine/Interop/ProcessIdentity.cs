using System.Globalization;

namespace PSContainer.Engine.Interop;

/// <summary>
/// One process of one boot: its pid and its start time in clock ticks since boot (field 22 of
/// <c>/proc/&lt;pid&gt;/stat</c>), so that a later process given the same pid is not mistaken for it.
/// </summary>
internal sealed class ProcessIdentity
{
    public int Pid { get; set; }
    public long StartTicks { get; set; }
    public string BootId { get; set; } = "";

    /// <summary>The calling process.</summary>
    public static ProcessIdentity Current()
    {
        var pid = Environment.ProcessId;
        return new ProcessIdentity
        {
            Pid = pid,
            StartTicks = StartTicksOf(pid) ?? 0,
            BootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(),
        };
    }

    /// <summary>Whether this process still runs: same boot, same pid, same start time.</summary>
    public bool IsAlive() =>
        BootId == File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() && StartTicksOf(Pid) is { } ticks && ticks == StartTicks;

    /// <summary>A process's start time from its stat line, or null when it is gone.</summary>
    internal static long? StartTicksOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return ParseStartTicks(stat);
    }

    /// <summary>Field 22 of a stat line; the command name before it may hold spaces and parentheses.</summary>
    internal static long? ParseStartTicks(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state).
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"pid {Pid.ToString(CultureInfo.InvariantCulture)}";
}
