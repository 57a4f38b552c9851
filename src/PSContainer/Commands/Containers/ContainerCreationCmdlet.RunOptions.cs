using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>docker run's namespace, limit and /etc-file parameters of New-Container and Invoke-Container.</summary>
public abstract partial class ContainerCreationCmdlet
{
    /// <summary>Files of NAME=value lines (# comments); a bare NAME takes the caller's value. -Environment wins.</summary>
    [Parameter]
    [Alias("EnvFile")]
    [ValidateNotNullOrEmpty]
    public string[]? EnvironmentFile { get; set; }

    /// <summary>Extra /etc/hosts entries, "name:address" ("name:host-gateway" is the host).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddHost { get; set; }

    /// <summary>Nameservers for the container's /etc/resolv.conf.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Dns { get; set; }

    /// <summary>DNS search domains for the container's /etc/resolv.conf.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DnsSearch { get; set; }

    /// <summary>Size of /dev/shm in bytes (default 64MB).</summary>
    [Parameter]
    public long? ShmSize { get; set; }

    /// <summary>Namespaced kernel parameters: "net.ipv4.ip_forward=1" strings or a hashtable.</summary>
    [Parameter]
    [Transformations.KeyValueTransformation]
    [ValidateNotNullOrEmpty]
    public string[]? Sysctl { get; set; }

    /// <summary>tmpfs mounts: "/path" or "/path:size=64m,mode=1777".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tmpfs { get; set; }

    /// <summary>The platform, "linux/amd64": only the host's runs (there is no emulation).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    /// <summary>Relative CPU weight (1024 is the default).</summary>
    [Parameter]
    public long? CpuShares { get; set; }

    /// <summary>CPUs the container may use: "0-1", "0,2".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CpusetCpus { get; set; }

    /// <summary>A soft memory limit in bytes, below -Memory.</summary>
    [Parameter]
    public long? MemoryReservation { get; set; }

    /// <summary>The OOM killer's preference for the container's processes, -1000 to 1000.</summary>
    [Parameter]
    [ValidateRange(-1000, 1000)]
    public int? OomScoreAdj { get; set; }

    /// <summary>Supplementary groups for the container's process, by name (in the image's /etc/group) or id.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? GroupAdd { get; set; }

    /// <summary>Pid namespace: "host" or "container:&lt;name&gt;" (default: a private one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Pid { get; set; }

    /// <summary>IPC namespace: "private" (the default), "shareable", "host" or "container:&lt;name&gt;".</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Ipc { get; set; }

    /// <summary>UTS namespace: "host" shares the host's hostname (default: a private one).</summary>
    [Parameter]
    [ValidateSet("host")]
    public string? Uts { get; set; }

    /// <summary>The run options the parameters describe.</summary>
    private RunOptions RunSettings() => new()
    {
        ExtraHosts = (AddHost ?? []).ToList(),
        Dns = (Dns ?? []).ToList(),
        DnsSearch = (DnsSearch ?? []).ToList(),
        ShmSize = ShmSize,
        Sysctls = (Sysctl ?? []).Select(s => s.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "", StringComparer.Ordinal),
        Tmpfs = (Tmpfs ?? []).ToList(),
        CpuShares = CpuShares,
        CpusetCpus = CpusetCpus,
        MemoryReservation = MemoryReservation,
        OomScoreAdj = OomScoreAdj,
        GroupAdd = (GroupAdd ?? []).ToList(),
        PidMode = Pid,
        IpcMode = Ipc,
        UtsMode = Uts,
        Platform = Platform,
    };

    /// <summary>The -EnvironmentFile entries, in order, before -Environment's.</summary>
    private IEnumerable<string> EnvironmentFileEntries()
    {
        foreach (var file in EnvironmentFile ?? [])
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(file);
            if (!File.Exists(path))
                throw new EngineException("EnvironmentFileNotFound", EngineErrorKind.NotFound, $"Environment file '{file}' does not exist.", file);
            foreach (var line in File.ReadLines(path))
            {
                var entry = line.TrimStart();
                if (entry.Length == 0 || entry[0] == '#') continue;
                // As docker run --env-file: a bare NAME takes the caller's value and is left out when unset.
                if (!entry.Contains('=') && global::System.Environment.GetEnvironmentVariable(entry.TrimEnd()) is null) continue;
                yield return entry.Contains('=') ? entry : entry.TrimEnd();
            }
        }
    }
}
