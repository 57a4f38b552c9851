using System.Globalization;

namespace PSContainer.Engine.Runtime;

/// <summary>Linux capability names, for privileged processes that get every capability the host can grant.</summary>
internal static class LinuxCapabilities
{
    // Numbered as in linux/capability.h; index = capability number.
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>
    /// Every named capability in this process's bounding set: what a privileged process can be given. Asking
    /// for one the host withholds (a host without CAP_SYS_RESOURCE, say) makes the runtime fail the exec.
    /// </summary>
    public static List<string> All(string statusFile = "/proc/self/status")
    {
        var bounding = ulong.MaxValue;
        foreach (var line in File.ReadLines(statusFile))
            if (line.StartsWith("CapBnd:", StringComparison.Ordinal))
                bounding = ulong.Parse(line[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return Names.Where((_, bit) => (bounding & (1UL << bit)) != 0).ToList();
    }
}
