using PSContainer.Engine.Volumes;
using PSContainer.Engine.Networks;

namespace PSContainer.Engine.Containers;

/// <summary>A container as the cmdlets show it (<c>docker ps</c>/<c>docker inspect</c> in one object).</summary>
public sealed class ContainerInfo
{
    /// <summary>The 64-hex id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The first 12 hex digits of the id.</summary>
    public string ShortId => Id.Length >= 12 ? Id[..12] : Id;

    /// <summary>The container's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The image as the user named it.</summary>
    public string Image { get; init; } = "";

    /// <summary>The image id (<c>sha256:…</c>).</summary>
    public string ImageId { get; init; } = "";

    /// <summary>Entrypoint and command, as run.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Lifecycle state.</summary>
    public ContainerStatus Status { get; init; }

    /// <summary>When it last started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it last finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Exit code of the last run.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Whether the kernel's OOM killer ended the last run.</summary>
    public bool OOMKilled { get; init; }

    /// <summary>Host pid of the container's init while it runs.</summary>
    public int Pid { get; init; }

    /// <summary>The last start error, if any.</summary>
    public string? Error { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Memory limit in bytes (null: none).</summary>
    public long? Memory { get; init; }

    /// <summary>CPU limit in CPUs (null: none).</summary>
    public double? Cpus { get; init; }

    /// <summary>Process-count limit (null: none).</summary>
    public long? PidsLimit { get; init; }

    /// <summary>Hostname inside the container.</summary>
    public string Hostname { get; init; } = "";

    /// <summary>Whether the root filesystem is read-only.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Whether the container is removed when it exits.</summary>
    public bool AutoRemove { get; init; }

    /// <summary>The OCI runtime binary that runs (or last ran) it.</summary>
    public string? Runtime { get; init; }

    /// <summary>How many times its restart policy restarted it since the user last started it.</summary>
    public int RestartCount { get; init; }

    /// <summary>Docker's restart policy: "no", "on-failure[:N]", "always" or "unless-stopped".</summary>
    public string RestartPolicy { get; init; } = "no";

    /// <summary>When its restart policy starts it again, while it is Restarting.</summary>
    public DateTimeOffset? RestartAt { get; init; }

    /// <summary>"starting", "healthy" or "unhealthy"; empty without a healthcheck (or before its first run).</summary>
    public string Health { get; init; } = "";

    /// <summary>Docker's State.Health: status, failing streak and the last five probes; null without a healthcheck.</summary>
    public ContainerHealth? HealthLog { get; init; }

    /// <summary>The healthcheck's probe in Docker's form (["CMD-SHELL", "…"] or ["CMD", …]); empty without one.</summary>
    public IReadOnlyList<string> HealthCommand { get; init; } = [];

    /// <summary>Whether a minimal init runs as pid 1 (-Init).</summary>
    public bool Init { get; init; }

    /// <summary>Extra /etc/hosts entries, "name:address" (-AddHost).</summary>
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>Nameservers (-Dns).</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    /// <summary>DNS search domains (-DnsSearch).</summary>
    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    /// <summary>Size of /dev/shm in bytes (null: Docker's 64 MB).</summary>
    public long? ShmSize { get; init; }

    /// <summary>Namespaced kernel parameters (-Sysctl).</summary>
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    /// <summary>tmpfs mounts, "/path[:options]" (-Tmpfs).</summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];

    /// <summary>Relative CPU weight (-CpuShares).</summary>
    public long? CpuShares { get; init; }

    /// <summary>CPUs it may run on (-CpusetCpus).</summary>
    public string? CpusetCpus { get; init; }

    /// <summary>Soft memory limit in bytes (-MemoryReservation).</summary>
    public long? MemoryReservation { get; init; }

    /// <summary>The OOM killer's preference (-OomScoreAdj).</summary>
    public int? OomScoreAdj { get; init; }

    /// <summary>Supplementary groups (-GroupAdd).</summary>
    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    /// <summary>Pid namespace: "" (private), "host" or "container:&lt;name&gt;".</summary>
    public string PidMode { get; init; } = "";

    /// <summary>IPC namespace: "" (private), "shareable", "host" or "container:&lt;name&gt;".</summary>
    public string IpcMode { get; init; } = "";

    /// <summary>UTS namespace: "" (private) or "host".</summary>
    public string UtsMode { get; init; } = "";

    /// <summary>The platform it was asked to run as (-Platform), if any.</summary>
    public string? Platform { get; init; }

    /// <summary>Volumes, bind mounts and tmpfs mounts.</summary>
    public IReadOnlyList<MountInfo> Mounts { get; init; } = [];
    /// <summary>-Network: "bridge", "none", "host", "container:&lt;id&gt;" or a user network.</summary>
    public string NetworkMode { get; init; } = "";

    /// <summary>Published ports: as published while it runs, as asked for otherwise.</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    /// <summary>The networks it is on, with its addresses while it runs.</summary>
    public IReadOnlyList<ContainerNetworkInfo> Networks { get; init; } = [];

    /// <summary>Whether it runs with every capability, no seccomp filter and the host's devices (-Privileged).</summary>
    public bool Privileged { get; init; }

    /// <summary>Capabilities added to Docker's default set (-CapAdd), as CAP_ names or ALL.</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    /// <summary>Capabilities removed from Docker's default set (-CapDrop), as CAP_ names or ALL.</summary>
    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary>The -SecurityOpt values it was created with.</summary>
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];

    /// <summary>The seccomp profile in use: "default", "unconfined" or the path of the profile file it was created from.</summary>
    public string SeccompProfile { get; init; } = "default";

    /// <summary>Whether setuid programs and file capabilities grant nothing in it.</summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary>Its address on its first network while it runs.</summary>
    public string? IPAddress => Networks.Select(n => n.IPAddress).FirstOrDefault(a => a is not null);

    /// <summary>Status in <c>docker ps</c> words: "Up 5 minutes", "Exited (0) 2 seconds ago".</summary>
    public string StatusText => Status switch
    {
        ContainerStatus.Running => "Up " + Ago.Duration(DateTimeOffset.UtcNow - (StartedAt ?? Created)) + HealthSuffix,
        ContainerStatus.Paused => "Up " + Ago.Duration(DateTimeOffset.UtcNow - (StartedAt ?? Created)) + " (Paused)",
        ContainerStatus.Exited => $"Exited ({ExitCode}) " + Ago.Duration(DateTimeOffset.UtcNow - (FinishedAt ?? Created)) + " ago",
        ContainerStatus.Restarting => $"Restarting ({ExitCode}) " + Ago.Duration(DateTimeOffset.UtcNow - (FinishedAt ?? Created)) + " ago",
        _ => "Created",
    };

    /// <summary>Published ports, compacted as <c>docker ps</c> shows them ("8080-8081->80-81/tcp").</summary>
    public string PortsText => string.Join(", ", PortMapping.Compact(Ports));

    // As docker ps: "(healthy)", "(unhealthy)", "(health: starting)".
    private string HealthSuffix => Health switch
    {
        "" => "",
        HealthStatus.Starting => " (health: starting)",
        _ => " (" + Health + ")",
    };

    /// <summary>Creation time in <c>docker ps</c> words.</summary>
    public string CreatedText => Ago.Duration(DateTimeOffset.UtcNow - Created) + " ago";

    /// <summary>The command as one quoted line, shortened for tables.</summary>
    public string CommandText => string.Join(' ', Command.Select(a => a.Contains(' ') ? "\"" + a + "\"" : a));

    /// <inheritdoc/>
    public override string ToString() => Name;

    internal static ContainerInfo From(ContainerRecord record) => new()
    {
        Id = record.Id,
        Name = record.Name,
        Image = record.ImageName,
        ImageId = record.ImageId,
        Command = record.Command,
        Created = record.Created,
        Status = record.State.Status,
        StartedAt = record.State.StartedAt,
        FinishedAt = record.State.FinishedAt,
        ExitCode = record.State.ExitCode,
        OOMKilled = record.State.OomKilled,
        Pid = record.State.Pid,
        Error = record.State.Error,
        Labels = record.Settings.Labels,
        Memory = record.Settings.Memory,
        Cpus = record.Settings.Cpus,
        PidsLimit = record.Settings.PidsLimit,
        Hostname = record.Settings.Hostname ?? record.Id[..12],
        ReadOnly = record.Settings.ReadOnly,
        AutoRemove = record.Settings.AutoRemove,
        Runtime = record.State.RuntimePath,
        RestartCount = record.State.RestartCount,
        RestartPolicy = Containers.RestartPolicy.Parse(record.Settings.RestartPolicy).ToString(),
        RestartAt = record.State.RestartAt,
        Health = record.Health?.Status ?? "",
        HealthLog = record.Health?.ToHealth(),
        HealthCommand = record.Settings.Healthcheck?.Test ?? [],
        Init = record.Settings.Init,
        ExtraHosts = record.Settings.Run.ExtraHosts,
        Dns = record.Settings.Run.Dns,
        DnsSearch = record.Settings.Run.DnsSearch,
        ShmSize = record.Settings.Run.ShmSize,
        Sysctls = record.Settings.Run.Sysctls,
        Tmpfs = record.Settings.Run.Tmpfs,
        CpuShares = record.Settings.Run.CpuShares,
        CpusetCpus = record.Settings.Run.CpusetCpus,
        MemoryReservation = record.Settings.Run.MemoryReservation,
        OomScoreAdj = record.Settings.Run.OomScoreAdj,
        GroupAdd = record.Settings.Run.GroupAdd,
        PidMode = record.Settings.Run.PidMode ?? "",
        IpcMode = record.Settings.Run.IpcMode ?? "",
        UtsMode = record.Settings.Run.UtsMode ?? "",
        Platform = record.Settings.Run.Platform,
        Mounts = record.Settings.Mounts.Select(MountInfo.From).ToList(),
        NetworkMode = ContainerNetworking.ModeOf(record).ToString(),
        Ports = ContainerNetworking.PortsOf(record).ToList(),
        Networks = record.Network.Endpoints.Select(ContainerNetworkInfo.From).ToList(),
        Privileged = record.Settings.Security.Privileged,
        CapAdd = record.Settings.Security.CapAdd,
        CapDrop = record.Settings.Security.CapDrop,
        SecurityOpt = record.Settings.Security.Options,
        SeccompProfile = ContainerSecurity.ProfileInUse(record.Settings.Security),
        NoNewPrivileges = record.Settings.Security.NoNewPrivileges,
    };
}
