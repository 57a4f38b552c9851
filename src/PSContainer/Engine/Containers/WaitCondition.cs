namespace PSContainer.Engine.Containers;

/// <summary>What Wait-Container waits for.</summary>
public enum WaitCondition
{
    /// <summary>The container has exited for good (a restart its policy makes is not an end), as docker wait.</summary>
    Exited,
    /// <summary>The container's process runs.</summary>
    Running,
    /// <summary>The container's healthcheck reports healthy.</summary>
    Healthy,
}
