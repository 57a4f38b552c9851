using PSContainer.Engine.Volumes;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Containers;

/// <summary>What a container was created with; Set-Container changes its restart policy and limits.</summary>
internal sealed class ContainerSettings
{
    public List<string>? Entrypoint { get; set; }
    public List<string>? Command { get; set; }
    public List<string> Environment { get; set; } = new();
    public string? WorkingDirectory { get; set; }
    public string? User { get; set; }
    public string? Hostname { get; set; }
    public Dictionary<string, string> Labels { get; set; } = new();
    public long? Memory { get; set; }
    public long? MemorySwap { get; set; }
    public double? Cpus { get; set; }
    public long? PidsLimit { get; set; }
    public bool ReadOnly { get; set; }
    public bool AutoRemove { get; set; }
    public string? Runtime { get; set; }
    public string StopSignal { get; set; } = "SIGTERM";
    public int StopTimeout { get; set; } = 10;
    public bool Tty { get; set; }
    public bool Interactive { get; set; }
    /// <summary>Close the container's stdin when the first attached writer hangs up (docker run -i), so it reads to EOF.</summary>
    public bool StdinOnce { get; set; }
    public List<UlimitSetting> Ulimits { get; set; } = new();

    /// <summary>Volumes, bind mounts and tmpfs; after creation every volume has its name.</summary>
    public List<MountSetting> Mounts { get; set; } = new();
    /// <summary>
    /// -Network: "bridge", "none", "host", "container:&lt;id&gt;" or a user network's name, as resolved at creation.
    /// Null in records older than networking, which run with loopback only.
    /// </summary>
    public string? Network { get; set; }

    /// <summary>Ports to publish; a host port of 0 is chosen at each start.</summary>
    public List<Networks.PortMapping> Ports { get; set; } = new();

    /// <summary>Publish every port the image exposes on a random host port (-PublishAll).</summary>
    public bool PublishAll { get; set; }

    /// <summary>Extra names on the container's user network (-NetworkAlias).</summary>
    public List<string> NetworkAliases { get; set; } = new();

    /// <summary>Docker's restart policy string (-RestartPolicy); null is "no".</summary>
    public string? RestartPolicy { get; set; }

    /// <summary>The healthcheck: as the user asked at creation, then resolved against the image's HEALTHCHECK.</summary>
    public HealthConfig? Healthcheck { get; set; }

    /// <summary>Run a minimal init (catatonit or tini) as pid 1 that reaps zombies and forwards signals (-Init).</summary>
    public bool Init { get; set; }

    /// <summary>docker run's namespace, limit and /etc-file options.</summary>
    public RunOptions Run { get; set; } = new();

    /// <summary>Capabilities, seccomp profile, no-new-privileges, -Privileged.</summary>
    public SecuritySettings Security { get; set; } = new();
}
