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

    public int RestartCount { get; set; }
}
