namespace PSContainer.Engine.Compose;

/// <summary>One service of a compose file, normalized. Null means "not set" (the image's or engine's default).</summary>
public sealed class ComposeService
{
    /// <summary>The service's name (its key under <c>services</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The image to run, or to tag the build with.</summary>
    public string? Image { get; set; }

    /// <summary>How to build the image, if it is built.</summary>
    public ComposeBuild? Build { get; set; }

    /// <summary>When to pull: always, missing, never or build.</summary>
    public string? PullPolicy { get; set; }

    /// <summary>The command (arguments to the entrypoint); a string is split as a shell would.</summary>
    public List<string>? Command { get; set; }

    /// <summary>The entrypoint.</summary>
    public List<string>? Entrypoint { get; set; }

    /// <summary>Environment variables, env_file's first and then environment's; a null value is unset.</summary>
    public SortedDictionary<string, string?>? Environment { get; set; }

    /// <summary>Published ports, one entry per port (ranges expanded).</summary>
    public List<ComposePort>? Ports { get; set; }

    /// <summary>Ports exposed to other containers only ("80", "53/udp").</summary>
    public List<string>? Expose { get; set; }

    /// <summary>Volumes, bind mounts and tmpfs mounts.</summary>
    public List<ComposeMount>? Volumes { get; set; }

    /// <summary>tmpfs mount targets (with optional options after a ':').</summary>
    public List<string>? Tmpfs { get; set; }

    /// <summary>The project networks the service joins, with its aliases on each.</summary>
    public SortedDictionary<string, ComposeServiceNetwork?>? Networks { get; set; }

    /// <summary>host, none, service:&lt;name&gt; or container:&lt;name&gt; instead of networks.</summary>
    public string? NetworkMode { get; set; }

    /// <summary>Services to start first, and what to wait for.</summary>
    public SortedDictionary<string, ComposeDependency>? DependsOn { get; set; }

    /// <summary>How the engine checks the container is healthy.</summary>
    public ComposeHealthcheck? Healthcheck { get; set; }

    /// <summary>Restart policy: no, always, on-failure[:n], unless-stopped.</summary>
    public string? Restart { get; set; }

    /// <summary>Container labels.</summary>
    public SortedDictionary<string, string>? Labels { get; set; }

    /// <summary>The user (name or uid[:gid]).</summary>
    public string? User { get; set; }

    /// <summary>The working directory inside the container.</summary>
    public string? WorkingDir { get; set; }

    /// <summary>The hostname.</summary>
    public string? Hostname { get; set; }

    /// <summary>A fixed container name instead of &lt;project&gt;-&lt;service&gt;-&lt;n&gt;.</summary>
    public string? ContainerName { get; set; }

    /// <summary>Run an init process as PID 1.</summary>
    public bool? Init { get; set; }

    /// <summary>The signal that stops the container.</summary>
    public string? StopSignal { get; set; }

    /// <summary>How long to wait after the stop signal before SIGKILL, as a Go duration ("10s").</summary>
    public string? StopGracePeriod { get; set; }

    /// <summary>Allocate a terminal.</summary>
    public bool? Tty { get; set; }

    /// <summary>Keep stdin open.</summary>
    public bool? StdinOpen { get; set; }

    /// <summary>Capabilities to add.</summary>
    public List<string>? CapAdd { get; set; }

    /// <summary>Capabilities to drop.</summary>
    public List<string>? CapDrop { get; set; }

    /// <summary>Every capability, no seccomp filter, the host's devices.</summary>
    public bool? Privileged { get; set; }

    /// <summary>Security options: seccomp=…, no-new-privileges[=…], systempaths=unconfined.</summary>
    public List<string>? SecurityOpt { get; set; }

    /// <summary>Resource limits by name (nofile, nproc, …).</summary>
    public SortedDictionary<string, ComposeUlimit>? Ulimits { get; set; }

    /// <summary>Memory limit in bytes (mem_limit or deploy.resources.limits.memory).</summary>
    public long? MemLimit { get; set; }

    /// <summary>Memory plus swap limit in bytes.</summary>
    public long? MemswapLimit { get; set; }

    /// <summary>CPU limit in CPUs (cpus or deploy.resources.limits.cpus).</summary>
    public double? Cpus { get; set; }

    /// <summary>Process-count limit (pids_limit or deploy.resources.limits.pids).</summary>
    public long? PidsLimit { get; set; }

    /// <summary>How many containers run the service (scale or deploy.replicas; default 1).</summary>
    public int? Scale { get; set; }

    /// <summary>Profiles that enable the service; none means always enabled.</summary>
    public List<string>? Profiles { get; set; }

    /// <summary>Extra /etc/hosts entries, "host=ip".</summary>
    public List<string>? ExtraHosts { get; set; }

    /// <summary>DNS servers.</summary>
    public List<string>? Dns { get; set; }

    /// <summary>Kernel parameters.</summary>
    public SortedDictionary<string, string>? Sysctls { get; set; }

    /// <summary>A read-only root filesystem.</summary>
    public bool? ReadOnly { get; set; }

    /// <summary>The size of /dev/shm in bytes.</summary>
    public long? ShmSize { get; set; }

    /// <summary>How many containers the service runs (1 unless scaled).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Replicas => Scale ?? 1;

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The <c>build</c> section of a service.</summary>
public sealed class ComposeBuild
{
    /// <summary>The build context directory (absolute).</summary>
    public string Context { get; set; } = "";

    /// <summary>The Dockerfile, relative to the context.</summary>
    public string? Dockerfile { get; set; }

    /// <summary>Build arguments; a null value comes from the environment or stays unset.</summary>
    public SortedDictionary<string, string?>? Args { get; set; }

    /// <summary>The stage to build.</summary>
    public string? Target { get; set; }

    /// <summary>Labels for the image.</summary>
    public SortedDictionary<string, string>? Labels { get; set; }
}

/// <summary>A published port in long form.</summary>
public sealed class ComposePort
{
    /// <summary>The port inside the container.</summary>
    public int Target { get; set; }

    /// <summary>The host port; null for a random one.</summary>
    public int? Published { get; set; }

    /// <summary>The host address; null for every address.</summary>
    public string? HostIp { get; set; }

    /// <summary>tcp or udp.</summary>
    public string Protocol { get; set; } = "tcp";

    /// <summary>As the short syntax writes it.</summary>
    public override string ToString() =>
        (HostIp is null ? "" : HostIp + ":") + (Published is { } p ? p + ":" : HostIp is null ? "" : ":") + Target + "/" + Protocol;
}

/// <summary>A service mount in long form.</summary>
public sealed class ComposeMount
{
    /// <summary>volume, bind or tmpfs.</summary>
    public string Type { get; set; } = "volume";

    /// <summary>The volume's name in the file, or the host path (absolute); null for an anonymous volume.</summary>
    public string? Source { get; set; }

    /// <summary>The path inside the container.</summary>
    public string Target { get; set; } = "";

    /// <summary>Mounted read-only.</summary>
    public bool? ReadOnly { get; set; }

    /// <summary>Bind options.</summary>
    public ComposeBindOptions? Bind { get; set; }

    /// <summary>Volume options.</summary>
    public ComposeVolumeOptions? Volume { get; set; }

    /// <summary>tmpfs options.</summary>
    public ComposeTmpfsOptions? Tmpfs { get; set; }

    /// <summary>As the short syntax writes it.</summary>
    public override string ToString() => (Source is null ? "" : Source + ":") + Target + (ReadOnly == true ? ":ro" : "");
}

/// <summary>The <c>bind</c> options of a mount.</summary>
public sealed class ComposeBindOptions
{
    /// <summary>Create the host path when it is missing (the short syntax does).</summary>
    public bool? CreateHostPath { get; set; }
}

/// <summary>The <c>volume</c> options of a mount.</summary>
public sealed class ComposeVolumeOptions
{
    /// <summary>Do not copy the image's content into a new volume.</summary>
    public bool? Nocopy { get; set; }
}

/// <summary>The <c>tmpfs</c> options of a mount.</summary>
public sealed class ComposeTmpfsOptions
{
    /// <summary>The size in bytes.</summary>
    public long? Size { get; set; }
}

/// <summary>A service's settings on one network.</summary>
public sealed class ComposeServiceNetwork
{
    /// <summary>Extra names for the service on this network.</summary>
    public List<string>? Aliases { get; set; }

    /// <summary>A fixed IPv4 address.</summary>
    public string? Ipv4Address { get; set; }
}

/// <summary>One <c>depends_on</c> entry.</summary>
public sealed class ComposeDependency
{
    /// <summary>service_started, service_healthy or service_completed_successfully.</summary>
    public string Condition { get; set; } = "service_started";

    /// <summary>Restart this service when the dependency is updated.</summary>
    public bool? Restart { get; set; }

    /// <summary>Whether the dependency must exist (false: a missing one is skipped).</summary>
    public bool Required { get; set; } = true;
}

/// <summary>A healthcheck, with durations as Go durations ("30s").</summary>
public sealed class ComposeHealthcheck
{
    /// <summary>["CMD", args…], ["CMD-SHELL", line] or ["NONE"].</summary>
    public List<string>? Test { get; set; }

    /// <summary>Time between checks.</summary>
    public string? Interval { get; set; }

    /// <summary>How long one check may take.</summary>
    public string? Timeout { get; set; }

    /// <summary>Consecutive failures that make the container unhealthy.</summary>
    public int? Retries { get; set; }

    /// <summary>Startup time during which failures do not count.</summary>
    public string? StartPeriod { get; set; }

    /// <summary>Time between checks during the start period.</summary>
    public string? StartInterval { get; set; }

    /// <summary>Turns off the image's healthcheck.</summary>
    public bool? Disable { get; set; }
}

/// <summary>A resource limit.</summary>
public sealed class ComposeUlimit
{
    /// <summary>The soft limit.</summary>
    public long Soft { get; set; }

    /// <summary>The hard limit.</summary>
    public long Hard { get; set; }
}

/// <summary>A top-level network.</summary>
public sealed class ComposeNetwork
{
    /// <summary>The key in the file ("default", "backend").</summary>
    public string Key { get; set; } = "";

    /// <summary>The engine's name: &lt;project&gt;_&lt;key&gt;, or <c>name:</c>, or the external network's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Made outside the project: used, never created or removed.</summary>
    public bool External { get; set; }

    /// <summary>No route out: containers reach each other and the host only.</summary>
    public bool Internal { get; set; }

    /// <summary>The driver (bridge only).</summary>
    public string? Driver { get; set; }

    /// <summary>IPAM subnets.</summary>
    public List<string>? Subnets { get; set; }

    /// <summary>IPAM gateways.</summary>
    public List<string>? Gateways { get; set; }

    /// <summary>Network labels.</summary>
    public SortedDictionary<string, string>? Labels { get; set; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A top-level volume.</summary>
public sealed class ComposeVolume
{
    /// <summary>The key in the file.</summary>
    public string Key { get; set; } = "";

    /// <summary>The engine's name: &lt;project&gt;_&lt;key&gt;, or <c>name:</c>, or the external volume's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Made outside the project: used, never created or removed.</summary>
    public bool External { get; set; }

    /// <summary>The driver (local only).</summary>
    public string? Driver { get; set; }

    /// <summary>Volume labels.</summary>
    public SortedDictionary<string, string>? Labels { get; set; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
