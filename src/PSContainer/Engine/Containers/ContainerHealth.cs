namespace PSContainer.Engine.Containers;

/// <summary>A container's health, as Docker's State.Health: the status, the failing streak and the last five probes.</summary>
public sealed class ContainerHealth
{
    /// <summary>"starting", "healthy" or "unhealthy".</summary>
    public string Status { get; init; } = HealthStatus.Starting;

    /// <summary>Consecutive failed probes (not counting those in the start period while starting).</summary>
    public int FailingStreak { get; init; }

    /// <summary>The last five probes, oldest first.</summary>
    public IReadOnlyList<HealthProbe> Log { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() => Status;
}

/// <summary>Docker's health status words.</summary>
public static class HealthStatus
{
    /// <summary>No probe has succeeded yet, and not enough have failed.</summary>
    public const string Starting = "starting";

    /// <summary>The last probe succeeded.</summary>
    public const string Healthy = "healthy";

    /// <summary>The last Retries probes failed.</summary>
    public const string Unhealthy = "unhealthy";
}
