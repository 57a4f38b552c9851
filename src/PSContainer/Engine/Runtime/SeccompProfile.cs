using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// The seccomp filter every container gets: everything is allowed except system calls that reach kernel
/// facilities a container has no business with and that capabilities alone do not fence off (new user
/// namespaces, the keyring, BPF, perf, userfaultfd, module loading, new mount API, clock and swap control).
/// Refused calls fail with EPERM, as under Docker's profile. Names the host's libseccomp does not know are
/// skipped by the runtime, so one list serves every architecture.
/// </summary>
internal static class SeccompProfile
{
    private const uint EPERM = 1;

    private static readonly string[] Refused =
    [
        "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module", "delete_module",
        "finit_module", "fsconfig", "fsmount", "fsopen", "fspick", "get_kernel_syms", "get_mempolicy",
        "init_module", "ioperm", "iopl", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie",
        "mbind", "mount", "mount_setattr", "move_mount", "name_to_handle_at", "nfsservctl", "open_by_handle_at",
        "open_tree", "perf_event_open", "pivot_root", "query_module", "quotactl", "reboot", "request_key",
        "set_mempolicy", "setns", "settimeofday", "swapoff", "swapon", "_sysctl", "sysfs", "umount", "umount2",
        "unshare", "uselib", "userfaultfd", "ustat", "vm86", "vm86old",
    ];

    /// <summary>A fresh copy of the filter for one spec.</summary>
    public static OciSeccomp Create() => new()
    {
        DefaultAction = "SCMP_ACT_ALLOW",
        Syscalls = [new OciSyscallRule { Names = [.. Refused], Action = "SCMP_ACT_ERRNO", ErrnoRet = EPERM }],
    };
}
