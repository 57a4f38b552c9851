namespace PSContainer.Engine.Containers;

/// <summary>What changes over a container's life.</summary>
internal sealed class ContainerState
{
    public ContainerStatus Status { get; set; } = ContainerStatus.Created;
    public int Pid { get; set; }
    public int ConmonPid { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int? ExitCode { get; set; }
    public bool OomKilled { get; set; }
    public string? Error { get; set; }

    /// <summary>The boot the container was started in; a different boot means it cannot be running.</summary>
    public string? BootId { get; set; }

    /// <summary>The runtime binary that created it; stop, pause and delete must use the same one.</summary>
    public string? RuntimePath { get; set; }

    /// <summary>Whether the rootfs overlay is (believed) mounted.</summary>
    public bool Mounted { get; set; }

    /// <summary>Restarts by the restart policy since the user last started it.</summary>
    public int RestartCount { get; set; }

    /// <summary>
    /// The user stopped it (Stop-Container, Remove-Container): no restart policy undoes that, and
    /// <c>unless-stopped</c> remembers it across reboots. The exit command's shell check reads it.
    /// </summary>
    public bool ManuallyStopped { get; set; }

    /// <summary>The back-off in milliseconds before the current run (0: none yet); it doubles with each restart.</summary>
    public long RestartDelayMs { get; set; }

    /// <summary>When a Restarting container is due to start again.</summary>
    public DateTimeOffset? RestartAt { get; set; }
}
