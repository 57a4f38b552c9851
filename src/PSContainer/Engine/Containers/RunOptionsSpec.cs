using System.Globalization;
using System.Net;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Maps <see cref="RunOptions"/> into a container's OCI spec and /etc files, and refuses what the host cannot
/// grant before anything is created.
/// </summary>
internal static class RunOptionsSpec
{
    // Sysctls a container's own namespaces hold, as Docker allows them (others would change the host).
    private static readonly string[] NamespacedSysctls = ["kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"];

    /// <summary>Checks the options; <paramref name="network"/> is the container's -Network.</summary>
    public static void Validate(RunOptions options, string? network, long? memory)
    {
        foreach (var host in options.ExtraHosts)
        {
            var parts = host.Split(':', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || (parts[1] != "host-gateway" && !IPAddress.TryParse(parts[1], out _)))
                throw Invalid("InvalidAddHost", $"AddHost '{host}' is not name:address.", host);
        }
        foreach (var server in options.Dns)
            if (!IPAddress.TryParse(server, out _))
                throw Invalid("InvalidDns", $"Dns '{server}' is not an IP address.", server);
        if (options.ShmSize is { } shm && shm <= 0)
            throw Invalid("InvalidShmSize", "ShmSize must be positive.", shm);
        foreach (var (key, _) in options.Sysctls)
        {
            var isNet = key.StartsWith("net.", StringComparison.Ordinal);
            if (!isNet && !key.StartsWith("fs.mqueue.", StringComparison.Ordinal) && !NamespacedSysctls.Contains(key))
                throw Invalid("SysctlNotNamespaced", $"Sysctl '{key}' is not namespaced: it would change the host, so a container cannot have it.", key);
            if (isNet && network == "host")
                throw Invalid("SysctlNotNamespaced", $"Sysctl '{key}' would change the host's network: the container uses -Network host.", key);
            if (!isNet && options.IpcMode == "host")
                throw Invalid("SysctlNotNamespaced", $"Sysctl '{key}' would change the host's IPC namespace: the container uses -Ipc host.", key);
        }
        foreach (var tmpfs in options.Tmpfs)
            if (!tmpfs.StartsWith('/'))
                throw Invalid("InvalidTmpfs", $"Tmpfs '{tmpfs}' must name an absolute path.", tmpfs);
        if (options.CpuShares is { } shares && shares is < 2 or > 262144)
            throw Invalid("InvalidCpuShares", "CpuShares must be between 2 and 262144.", shares);
        if (options.CpusetCpus is { } cpuset)
            foreach (var cpu in CpuList(cpuset))
                if (cpu >= Environment.ProcessorCount)
                    throw Invalid("InvalidCpusetCpus", $"CpusetCpus '{cpuset}' names CPU {cpu}; this host has CPUs 0-{Environment.ProcessorCount - 1}.", cpuset);
        if (options.MemoryReservation is { } reservation && (reservation <= 0 || (memory is { } limit && reservation > limit)))
            throw Invalid("InvalidMemoryReservation", "MemoryReservation must be positive and not above Memory.", reservation);
        if (options.OomScoreAdj is { } adj && adj is < -1000 or > 1000)
            throw Invalid("InvalidOomScoreAdj", "OomScoreAdj must be between -1000 and 1000.", adj);
        CheckMode(options.PidMode, "Pid", allowPrivate: false);
        CheckMode(options.IpcMode, "Ipc", allowPrivate: true);
        if (options.UtsMode is not (null or "host"))
            throw Invalid("InvalidNamespaceMode", $"Uts '{options.UtsMode}' is not host.", options.UtsMode);
        if (options.Platform is { } platform && !IsHostPlatform(platform))
            throw new EngineException("PlatformNotAvailable", EngineErrorKind.NotInstalled,
                $"Platform '{platform}' cannot run on this host ({HostPlatform}); there is no emulation.", platform);
    }

    /// <summary>This host's platform in Docker's form.</summary>
    public static string HostPlatform => "linux/" + System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Writes the options into <paramref name="spec"/>. <paramref name="containerPid"/> gives the init pid of a
    /// running container named by "container:&lt;name&gt;"; <paramref name="rootfs"/> resolves group names.
    /// </summary>
    public static void ApplyTo(OciSpec spec, RunOptions options, string rootfs, Func<string, int> containerPid)
    {
        if (options.ShmSize is { } shm && spec.Mounts.FirstOrDefault(m => m.Destination == "/dev/shm") is { Options: { } shmOptions })
        {
            shmOptions.RemoveAll(o => o.StartsWith("size=", StringComparison.Ordinal));
            shmOptions.Add("size=" + (shm / 1024).ToString(CultureInfo.InvariantCulture) + "k");
        }
        if (options.Sysctls.Count > 0)
        {
            spec.Linux.Sysctl ??= new Dictionary<string, string>();
            foreach (var (key, value) in options.Sysctls) spec.Linux.Sysctl[key] = value;
        }
        foreach (var tmpfs in options.Tmpfs)
        {
            var parts = tmpfs.Split(':', 2);
            spec.Mounts.RemoveAll(m => m.Destination == parts[0]);
            var mountOptions = parts.Length > 1 ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToList() : ["rw", "nosuid", "nodev", "noexec"];
            spec.Mounts.Add(new OciMount { Destination = parts[0], Type = "tmpfs", Source = "tmpfs", Options = mountOptions });
        }
        if (options.Tmpfs.Count > 0)
            spec.Mounts = [.. spec.Mounts.OrderBy(m => m.Destination.Count(c => c == '/'))];
        var resources = spec.Linux.Resources ??= new OciResources();
        if (options.CpuShares is { } shares) (resources.Cpu ??= new OciCpu()).Shares = (ulong)shares;
        if (options.CpusetCpus is { } cpuset) (resources.Cpu ??= new OciCpu()).Cpus = cpuset;
        if (options.MemoryReservation is { } reservation) (resources.Memory ??= new OciMemory()).Reservation = reservation;
        if (options.OomScoreAdj is { } adj) spec.Process.OomScoreAdj = adj;
        if (options.GroupAdd.Count > 0)
        {
            var gids = spec.Process.User.AdditionalGids ??= new List<uint>();
            foreach (var group in options.GroupAdd)
            {
                var gid = ContainerUser.GroupId(rootfs, group);
                if (!gids.Contains(gid)) gids.Add(gid);
            }
        }
        Share(spec, "pid", options.PidMode, containerPid);
        Share(spec, "ipc", options.IpcMode, containerPid);
        Share(spec, "uts", options.UtsMode, containerPid);
        if (options.UtsMode == "host") spec.Hostname = null;
    }

    /// <summary>Adds -AddHost lines to the container's hosts file and applies -Dns and -DnsSearch to its resolv.conf.</summary>
    public static void WriteEtcFiles(string containerDir, RunOptions options, Func<string>? hostGateway = null)
    {
        var hosts = Path.Combine(containerDir, "hosts");
        if (options.ExtraHosts.Count > 0 && File.Exists(hosts))
        {
            var lines = options.ExtraHosts.Select(h => h.Split(':', 2)).Select(p => (p[1] == "host-gateway" ? hostGateway?.Invoke() ?? "127.0.0.1" : p[1]) + "\t" + p[0]);
            File.AppendAllText(hosts, string.Join('\n', lines) + "\n");
        }
        var resolv = Path.Combine(containerDir, "resolv.conf");
        if ((options.Dns.Count > 0 || options.DnsSearch.Count > 0) && File.Exists(resolv))
        {
            var kept = File.ReadAllLines(resolv).Where(l =>
                !(options.Dns.Count > 0 && l.StartsWith("nameserver", StringComparison.Ordinal)) &&
                !(options.DnsSearch.Count > 0 && (l.StartsWith("search", StringComparison.Ordinal) || l.StartsWith("domain", StringComparison.Ordinal))));
            var added = options.Dns.Select(d => "nameserver " + d);
            if (options.DnsSearch.Count > 0) added = added.Append("search " + string.Join(' ', options.DnsSearch));
            File.WriteAllText(resolv, string.Join('\n', added.Concat(kept)) + "\n");
        }
    }

    private static void Share(OciSpec spec, string type, string? mode, Func<string, int> containerPid)
    {
        if (mode is null or "private" or "shareable") return;
        spec.Linux.Namespaces.RemoveAll(n => n.Type == type);
        if (mode == "host") return;
        var pid = containerPid(mode["container:".Length..]);
        spec.Linux.Namespaces.Add(new OciNamespace { Type = type, Path = $"/proc/{pid}/ns/{type}" });
    }

    private static void CheckMode(string? mode, string what, bool allowPrivate)
    {
        if (mode is null or "host") return;
        if (allowPrivate && mode is "private" or "shareable") return;
        if (mode.StartsWith("container:", StringComparison.Ordinal) && mode.Length > "container:".Length) return;
        throw Invalid("InvalidNamespaceMode", $"{what} '{mode}' is not host{(allowPrivate ? ", private, shareable" : "")} or container:<name>.", mode);
    }

    private static bool IsHostPlatform(string platform)
    {
        var parts = platform.ToLowerInvariant().Split('/');
        var host = HostPlatform.Split('/');
        return parts.Length >= 2 && parts[0] == host[0] && (parts[1] == host[1] || (parts[1] == "x86_64" && host[1] == "amd64") || (parts[1] == "aarch64" && host[1] == "arm64"));
    }

    private static IEnumerable<int> CpuList(string cpuset)
    {
        foreach (var part in cpuset.Split(','))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2 || !range.All(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw Invalid("InvalidCpusetCpus", $"CpusetCpus '{cpuset}' is not a list such as 0-1 or 0,2.", cpuset);
            var first = int.Parse(range[0], CultureInfo.InvariantCulture);
            var last = int.Parse(range[^1], CultureInfo.InvariantCulture);
            for (var cpu = first; cpu <= last; cpu++) yield return cpu;
        }
    }

    private static EngineException Invalid(string id, string message, object? target) =>
        new(id, EngineErrorKind.InvalidArgument, message, target);
}
