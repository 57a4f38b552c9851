namespace PSContainer.Engine.Containers;

/// <summary>A container's lifecycle state, as Docker names them.</summary>
public enum ContainerStatus
{
    /// <summary>Created, never started (or reset after a reboot).</summary>
    Created,
    /// <summary>Its process runs.</summary>
    Running,
    /// <summary>Frozen by the cgroup freezer.</summary>
    Paused,
    /// <summary>Its process has ended.</summary>
    Exited,
    /// <summary>Its process has ended and its restart policy starts it again after a back-off.</summary>
    Restarting,
}
