namespace PSContainer.Engine.Containers;

/// <summary>A process to run in a running container (docker exec).</summary>
internal sealed class ExecRequest
{
    /// <summary>The program and its arguments.</summary>
    public List<string> Command { get; init; } = new();

    /// <summary>Docker's <c>user[:group]</c>, resolved in the container's rootfs; null keeps the container's user.</summary>
    public string? User { get; init; }

    /// <summary>An absolute directory in the container; null keeps the container's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>"NAME=value" entries added to (or replacing in) the container's environment.</summary>
    public List<string> Environment { get; init; } = new();

    /// <summary>Give the process every capability.</summary>
    public bool Privileged { get; init; }
}
