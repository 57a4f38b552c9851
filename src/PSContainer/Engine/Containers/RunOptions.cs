namespace PSContainer.Engine.Containers;

/// <summary>The docker run options that shape a container's namespaces, limits and /etc files (-Dns, -Sysctl, -Pid …).</summary>
internal sealed class RunOptions
{
    /// <summary>"name:address" lines added to /etc/hosts (-AddHost).</summary>
    public List<string> ExtraHosts { get; set; } = new();

    /// <summary>Nameservers replacing the host's in /etc/resolv.conf (-Dns).</summary>
    public List<string> Dns { get; set; } = new();

    /// <summary>Search domains for /etc/resolv.conf (-DnsSearch).</summary>
    public List<string> DnsSearch { get; set; } = new();

    /// <summary>Size of /dev/shm in bytes (-ShmSize; Docker's default 64 MB).</summary>
    public long? ShmSize { get; set; }

    /// <summary>Namespaced kernel parameters (-Sysctl net.ipv4.ip_forward=1).</summary>
    public Dictionary<string, string> Sysctls { get; set; } = new();

    /// <summary>tmpfs mounts, "/path[:options]" (-Tmpfs).</summary>
    public List<string> Tmpfs { get; set; } = new();

    /// <summary>Relative CPU weight (-CpuShares, 1024 is the default weight).</summary>
    public long? CpuShares { get; set; }

    /// <summary>CPUs the container may run on, "0-1" or "0,2" (-CpusetCpus).</summary>
    public string? CpusetCpus { get; set; }

    /// <summary>Soft memory limit in bytes (-MemoryReservation).</summary>
    public long? MemoryReservation { get; set; }

    /// <summary>The OOM killer's preference, -1000 to 1000 (-OomScoreAdj).</summary>
    public int? OomScoreAdj { get; set; }

    /// <summary>Supplementary groups by name or id (-GroupAdd).</summary>
    public List<string> GroupAdd { get; set; } = new();

    /// <summary>Pid namespace: null (private), "host" or "container:&lt;name&gt;" (-Pid).</summary>
    public string? PidMode { get; set; }

    /// <summary>IPC namespace: null or "private", "host" or "container:&lt;name&gt;" (-Ipc).</summary>
    public string? IpcMode { get; set; }

    /// <summary>UTS namespace: null (private) or "host" (-Uts).</summary>
    public string? UtsMode { get; set; }

    /// <summary>The platform asked for, "os/arch[/variant]" (-Platform); only the host's can run.</summary>
    public string? Platform { get; set; }
}
