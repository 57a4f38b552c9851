namespace PSContainer.Engine.Diagnostics;

/// <summary>Whether the kernel enforces the seccomp filters containers get.</summary>
internal static class SeccompCheck
{
    /// <summary>
    /// Passes when the kernel has seccomp (a Seccomp field in /proc/self/status) and filter mode with the
    /// actions the profiles use (errno and allow in /proc/sys/kernel/seccomp/actions_avail).
    /// </summary>
    public static EngineCheck Run(string statusFile = "/proc/self/status", string actionsFile = "/proc/sys/kernel/seccomp/actions_avail")
    {
        var hasField = File.Exists(statusFile) && File.ReadLines(statusFile).Any(l => l.StartsWith("Seccomp:", StringComparison.Ordinal));
        if (!hasField)
            return new("Seccomp", false, "the kernel lacks seccomp (no Seccomp field in /proc/self/status): containers would run unfiltered; use a kernel built with CONFIG_SECCOMP_FILTER");
        var actions = File.Exists(actionsFile) ? File.ReadAllText(actionsFile).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries) : [];
        if (!actions.Contains("errno") || !actions.Contains("allow"))
            return new("Seccomp", false, $"the kernel has seccomp but not filter mode with errno and allow ({actionsFile}: {(actions.Length == 0 ? "absent" : string.Join(' ', actions))}); use a kernel built with CONFIG_SECCOMP_FILTER");
        return new("Seccomp", true, "the kernel enforces seccomp filters (actions: " + string.Join(' ', actions) + ")");
    }
}
