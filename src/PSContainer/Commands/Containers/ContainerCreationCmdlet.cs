using System.Management.Automation;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Runtime;
using PSContainer.Transformations;

namespace PSContainer.Commands.Containers;

/// <summary>The parameters that describe a new container, shared by New-Container and Invoke-Container.</summary>
public abstract partial class ContainerCreationCmdlet : EngineCmdlet
{
    /// <summary>The image: a name ("busybox", "alpine:3.20"), an id, or an ImageInfo from the pipeline.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ImageNameTransformation]
    [ArgumentCompleter(typeof(Completers.ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    /// <summary>The command and its arguments; replaces the image's CMD. Arguments that start with '-' go after '--'.</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public virtual string[]? Command { get; set; }

    /// <summary>The container's name; generated when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Environment variables: "KEY=value" strings or a hashtable.</summary>
    [Parameter]
    [Alias("Env", "e")]
    [KeyValueTransformation]
    public string[]? Environment { get; set; }

    /// <summary>The working directory inside the container.</summary>
    [Parameter]
    [Alias("WorkDir", "w")]
    public string? WorkingDirectory { get; set; }

    /// <summary>The user: name, uid, user:group or uid:gid.</summary>
    [Parameter]
    [Alias("u")]
    public string? User { get; set; }

    /// <summary>The container's hostname (default: the short id).</summary>
    [Parameter]
    public string? Hostname { get; set; }

    /// <summary>Labels: "key=value" strings or a hashtable.</summary>
    [Parameter]
    [KeyValueTransformation]
    public string[]? Label { get; set; }

    /// <summary>Memory limit in bytes: PowerShell's 512MB or Docker's 512m, 1g.</summary>
    [Parameter]
    [ByteSizeTransformation]
    public long? Memory { get; set; }

    /// <summary>Memory plus swap in bytes (-1: unlimited swap), as -Memory takes them. Default: twice Memory, as Docker.</summary>
    [Parameter]
    [ByteSizeTransformation]
    public long? MemorySwap { get; set; }

    /// <summary>CPU limit in CPUs, such as 0.5.</summary>
    [Parameter]
    public double? Cpus { get; set; }

    /// <summary>Maximum number of processes (-1: unlimited).</summary>
    [Parameter]
    public long? PidsLimit { get; set; }

    /// <summary>Mount the root filesystem read-only (with writable tmpfs on /tmp, /var/tmp and /run).</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>Remove the container when it exits (docker run --rm).</summary>
    [Parameter]
    [Alias("Rm")]
    public SwitchParameter AutoRemove { get; set; }

    /// <summary>Replaces the image's ENTRYPOINT (and drops its CMD unless -Command is given).</summary>
    [Parameter]
    public string[]? Entrypoint { get; set; }

    /// <summary>The OCI runtime: "crun", "runc" or a path. Default: probed.</summary>
    [Parameter]
    public string? Runtime { get; set; }

    /// <summary>The signal Stop-Container sends first (default: the image's STOPSIGNAL or SIGTERM).</summary>
    [Parameter]
    public string? StopSignal { get; set; }

    /// <summary>Seconds Stop-Container waits before SIGKILL (default 10).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? StopTimeout { get; set; }

    /// <summary>Resource limits, "name=soft[:hard]" such as "nofile=1024:2048".</summary>
    [Parameter]
    public string[]? Ulimit { get; set; }

    /// <summary>Keep stdin open.</summary>
    [Parameter]
    [Alias("i")]
    public SwitchParameter Interactive { get; set; }

    /// <summary>Allocate a pseudo-terminal.</summary>
    [Parameter]
    [Alias("t")]
    public SwitchParameter Tty { get; set; }

    /// <summary>Volumes and bind mounts in Docker's short form: "name:/path[:ro]", "/host/path:/path[:ro]", or "/path" for an anonymous volume.</summary>
    [Parameter]
    [Alias("v")]
    public string[]? Volume { get; set; }

    /// <summary>Mounts as hashtables (@{ Type = 'volume'|'bind'|'tmpfs'; Source; Target; ReadOnly; TmpfsSize }) or Docker's "type=volume,source=x,target=/y,readonly".</summary>
    [Parameter]
    public object[]? Mount { get; set; }
    /// <summary>The network: "bridge" (the default), "none", "host", "container:&lt;name&gt;" or a network made with New-Network.</summary>
    [Parameter]
    [Alias("Net")]
    [ArgumentCompleter(typeof(Completers.NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    /// <summary>Ports to publish: "8080:80", "127.0.0.1:8080:80/udp", or "80" for a random host port.</summary>
    [Parameter]
    [Alias("Publish")]
    [PortMappingTransformation]
    public PortMapping[]? Port { get; set; }

    /// <summary>Publish every port the image exposes (EXPOSE) on a random host port.</summary>
    [Parameter]
    public SwitchParameter PublishAll { get; set; }

    /// <summary>Extra names the container answers to on its user network.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? NetworkAlias { get; set; }

    /// <summary>
    /// Docker's restart policy: "no" (the default), "on-failure" or "on-failure:N" (restart after a non-zero
    /// exit, at most N times), "always", or "unless-stopped" (as always, but a container the user stopped stays
    /// stopped after a reboot). Restarts need no open session; Start-ContainerEngine brings containers back at boot.
    /// </summary>
    [Parameter]
    [Alias("Restart")]
    [ArgumentCompleter(typeof(Completers.RestartPolicyCompleter))]
    [ValidateNotNullOrEmpty]
    public string? RestartPolicy { get; set; }

    /// <summary>
    /// The healthcheck probe: one string runs through /bin/sh -c (Docker's --health-cmd), several strings run
    /// as a program and its arguments. Exit code 0 is healthy. Replaces the image's HEALTHCHECK command.
    /// </summary>
    [Parameter]
    [Alias("HealthCmd")]
    [ValidateNotNullOrEmpty]
    public string[]? HealthCommand { get; set; }

    /// <summary>Time between probes (default 30s): a TimeSpan, Docker's "30s"/"1m30s", or seconds.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? HealthInterval { get; set; }

    /// <summary>How long one probe may run before it counts as failed (default 30s).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? HealthTimeout { get; set; }

    /// <summary>Consecutive failures that make the container unhealthy (default 3).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? HealthRetries { get; set; }

    /// <summary>Time after the start during which failures do not count (default 0s).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? HealthStartPeriod { get; set; }

    /// <summary>Time between probes during the start period (default 5s).</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? HealthStartInterval { get; set; }

    /// <summary>What an unhealthy container gets: none (the default), kill, restart or stop.</summary>
    [Parameter]
    [ValidateSet("none", "kill", "restart", "stop")]
    public string? HealthOnFailure { get; set; }

    /// <summary>Switch off the image's HEALTHCHECK.</summary>
    [Parameter]
    public SwitchParameter NoHealthcheck { get; set; }

    /// <summary>Run a minimal init as pid 1 (catatonit or tini) that reaps zombies and forwards signals.</summary>
    [Parameter]
    public SwitchParameter Init { get; set; }

    /// <summary>The healthcheck the parameters ask for; null when they ask for none.</summary>
    private HealthConfig? HealthSettings()
    {
        if (!NoHealthcheck && HealthCommand is null && HealthInterval is null && HealthTimeout is null && HealthRetries is null
            && HealthStartPeriod is null && HealthStartInterval is null && HealthOnFailure is null)
            return null;
        return new HealthConfig
        {
            Test = HealthCommand switch
            {
                // -NoHealthcheck is Docker's ["NONE"]; with other -Health* parameters it is refused.
                _ when NoHealthcheck => ["NONE", .. HealthCommand ?? []],
                null => new(),
                [var shell] => ["CMD-SHELL", shell],
                var exec => ["CMD", .. exec],
            },
            Interval = HealthInterval,
            Timeout = HealthTimeout,
            Retries = HealthRetries,
            StartPeriod = HealthStartPeriod,
            StartInterval = HealthStartInterval,
            OnFailure = HealthOnFailure,
        };
    }

    /// <summary>Refuses a container command that PowerShell would take apart (see <see cref="ContainerCommandLine"/>).</summary>
    protected override void BeginProcessing()
    {
        if (ContainerCommandLine.Check(this, nameof(Command)) is { } error) ThrowTerminatingError(error);
        base.BeginProcessing();
    }

    /// <summary>The settings the parameters describe.</summary>
    internal ContainerSettings Settings()
    {
        var settings = new ContainerSettings
        {
            Entrypoint = Entrypoint?.ToList(),
            Command = Command is { Length: > 0 } ? Command.ToList() : null,
            Environment = EnvironmentFileEntries().Concat(Environment ?? []).Select(ExpandEnvironment).ToList(),
            WorkingDirectory = WorkingDirectory,
            User = User,
            Hostname = Hostname,
            Labels = (Label ?? []).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal),
            Memory = Memory,
            MemorySwap = MemorySwap,
            Cpus = Cpus,
            PidsLimit = PidsLimit,
            ReadOnly = ReadOnly,
            AutoRemove = AutoRemove,
            Runtime = Runtime,
            Tty = Tty,
            Interactive = Interactive,
            Ulimits = (Ulimit ?? []).Select(HostLimits.Parse).ToList(),
            Mounts = MountArguments.From(Volume, Mount, SessionState.Path.CurrentFileSystemLocation.ProviderPath),
            Network = Network,
            Ports = (Port ?? []).ToList(),
            PublishAll = PublishAll,
            NetworkAliases = (NetworkAlias ?? []).Distinct(StringComparer.Ordinal).ToList(),
            RestartPolicy = RestartPolicy,
            Healthcheck = HealthSettings(),
            Init = Init,
            Security = SecuritySettings(),
            Run = RunSettings(),
        };
        if (StopSignal is not null) settings.StopSignal = StopSignal;
        if (StopTimeout is { } timeout) settings.StopTimeout = timeout;
        return settings;
    }

    /// <summary>As docker run -e NAME: a bare name takes the value from the caller's environment.</summary>
    internal static string ExpandEnvironment(string entry) =>
        entry.Contains('=') ? entry : entry + "=" + (global::System.Environment.GetEnvironmentVariable(entry) ?? "");

    /// <summary>The create request the parameters describe.</summary>
    internal CreateContainerRequest Request() => new() { Image = Image, Name = Name, Settings = Settings() };
}
