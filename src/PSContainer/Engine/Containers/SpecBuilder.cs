using PSContainer.Engine.Runtime;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Containers;

/// <summary>Builds the OCI runtime config.json for a container from its settings and its image.</summary>
internal static class SpecBuilder
{
    /// <summary>PATH when the image sets none, as Docker does.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Docker's default capability set.</summary>
    public static readonly string[] DefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    private static readonly string[] MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] ReadonlyPaths =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>The cgroup a container runs in, relative to each hierarchy's root.</summary>
    public static string CgroupsPathOf(string containerId) => "/pscontainer/" + containerId;

    /// <summary>The process arguments: entrypoint then command, with Docker's override rules.</summary>
    public static List<string> Arguments(ContainerSettings settings, OciRunConfig? image)
    {
        var entrypoint = settings.Entrypoint ?? image?.Entrypoint ?? [];
        // A new entrypoint drops the image's CMD, as in Docker.
        var command = settings.Command ?? (settings.Entrypoint is null ? image?.Cmd : null) ?? [];
        return [.. entrypoint, .. command];
    }

    /// <summary>The environment: the image's, then the user's, with PATH and HOSTNAME filled in.</summary>
    public static List<string> Environment(ContainerSettings settings, OciRunConfig? image, string hostname)
    {
        var env = new List<string>();
        void Set(string entry) => EnvironmentList.Set(env, entry);
        Set("PATH=" + DefaultPath);
        foreach (var e in image?.Env ?? []) Set(e);
        Set("HOSTNAME=" + hostname);
        if (settings.Tty) Set("TERM=xterm");
        foreach (var e in settings.Environment) Set(e);
        return env;
    }

    /// <summary>
    /// Builds the whole spec. <paramref name="rootfs"/> is the mounted overlay; <paramref name="containerDir"/> holds hosts files;
    /// <paramref name="userMounts"/> are the container's volumes, bind mounts and tmpfs.
    /// </summary>
    public static OciSpec Build(ContainerRecord container, OciRunConfig? image, string rootfs, string containerDir, ContainerUser.Ids user, CgroupMode cgroupMode,
        IReadOnlyList<OciMount>? userMounts = null)
    {
        var settings = container.Settings;
        var hostname = settings.Hostname ?? container.Id[..12];
        var spec = new OciSpec
        {
            Hostname = hostname,
            Root = new OciRoot { Path = rootfs, Readonly = settings.ReadOnly },
            Process = new OciProcess
            {
                Terminal = settings.Tty,
                Args = container.Command,
                Env = Environment(settings, image, hostname),
                Cwd = settings.WorkingDirectory ?? NonEmpty(image?.WorkingDir) ?? "/",
                User = new OciUser { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids.Count > 0 ? user.AdditionalGids : null },
                Rlimits = settings.Ulimits.Count == 0 ? null
                    : settings.Ulimits.Select(u => new OciRlimit { Type = "RLIMIT_" + u.Name.ToUpperInvariant(), Soft = u.Soft, Hard = u.Hard }).ToList(),
            },
            Mounts = Mounts(settings, containerDir, userMounts ?? []),
            Linux = new OciLinux
            {
                Namespaces = Namespaces(cgroupMode),
                CgroupsPath = CgroupsPathOf(container.Id),
                MaskedPaths = [.. MaskedPaths],
                ReadonlyPaths = [.. ReadonlyPaths],
                Resources = Resources(settings),
            },
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = container.ImageName },
        };
        // Capabilities, no-new-privileges, the seccomp filter and what -Privileged changes.
        ContainerSecurity.ApplyTo(spec, settings.Security);
        return spec;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static List<OciNamespace> Namespaces(CgroupMode cgroupMode)
    {
        var list = new List<OciNamespace>
        {
            new() { Type = "pid" }, new() { Type = "network" }, new() { Type = "ipc" },
            new() { Type = "uts" }, new() { Type = "mount" },
        };
        // A private cgroup namespace is Docker's default on cgroup v2 only.
        if (cgroupMode == CgroupMode.V2) list.Add(new OciNamespace { Type = "cgroup" });
        return list;
    }

    private static List<OciMount> Mounts(ContainerSettings settings, string containerDir, IReadOnlyList<OciMount> userMounts)
    {
        var covered = userMounts.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        var mounts = new List<OciMount>
        {
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
            new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
            new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
            new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] },
        };
        foreach (var file in new[] { "hostname", "hosts", "resolv.conf" })
            if (!covered.Contains("/etc/" + file))
                mounts.Add(new OciMount { Destination = "/etc/" + file, Type = "bind", Source = Path.Combine(containerDir, file), Options = ["rbind", "rprivate", settings.ReadOnly ? "ro" : "rw"] });
        if (settings.ReadOnly)
        {
            // As Podman does: a read-only root still gets writable scratch space.
            foreach (var dir in new[] { "/tmp", "/var/tmp", "/run" })
                if (!covered.Contains(dir))
                    mounts.Add(new OciMount { Destination = dir, Type = "tmpfs", Source = "tmpfs", Options = ["rw", "nosuid", "nodev", "mode=1777"] });
        }
        mounts.AddRange(userMounts);
        // A mount inside another must come after it or be hidden by it: parents first, as Docker sorts them.
        return [.. mounts.OrderBy(m => m.Destination.Count(c => c == '/'))];
    }

    /// <summary>The cgroup limits the settings ask for (Set-Container applies them to a running container too).</summary>
    internal static OciResources Resources(ContainerSettings settings)
    {
        var resources = new OciResources { Devices = [new OciDeviceRule { Allow = false, Access = "rwm" }] };
        if (settings.Memory is { } memory)
        {
            // Docker's default: swap may add as much again as the memory limit (total = 2 × memory).
            resources.Memory = new OciMemory { Limit = memory, Swap = settings.MemorySwap ?? memory * 2 };
        }
        if (settings.Cpus is { } cpus)
            resources.Cpu = new OciCpu { Period = 100_000, Quota = (long)Math.Round(cpus * 100_000) };
        if (settings.PidsLimit is { } pids)
            resources.Pids = new OciPids { Limit = pids };
        return resources;
    }
}
