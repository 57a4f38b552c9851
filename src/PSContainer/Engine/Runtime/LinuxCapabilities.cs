using System.Globalization;

namespace PSContainer.Engine.Runtime;

/// <summary>Linux capability names: checking the ones a user names, and every capability the host can grant.</summary>
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

    /// <summary>Every capability the engine knows, in kernel order.</summary>
    public static IReadOnlyList<string> Known => Names;

    /// <summary>The word -CapAdd and -CapDrop take for every capability.</summary>
    public const string AllKeyword = "ALL";

    /// <summary>
    /// A capability as a user may write it ("net_admin", "CAP_NET_ADMIN", "all") in the kernel's spelling
    /// (CAP_NET_ADMIN), or <see cref="AllKeyword"/>. Unknown names are refused, as Docker refuses them.
    /// </summary>
    public static string Normalize(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        if (upper == AllKeyword) return AllKeyword;
        var full = upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
        if (!Names.Contains(full))
            throw new EngineException("UnknownCapability", EngineErrorKind.InvalidArgument,
                $"Unknown capability '{name}'. Name one such as NET_ADMIN or CAP_NET_ADMIN, or ALL.", name);
        return full;
    }

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
