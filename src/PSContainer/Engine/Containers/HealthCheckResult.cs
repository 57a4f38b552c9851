namespace PSContainer.Engine.Containers;

/// <summary>What Test-ContainerHealth reports: one probe run now, and the container's health after it.</summary>
public sealed class HealthCheckResult
{
    /// <summary>The container's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The container's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Whether this probe passed (exit code 0).</summary>
    public bool Passed => Probe.ExitCode == 0;

    /// <summary>The container's health after the probe: "starting", "healthy" or "unhealthy".</summary>
    public string Status { get; init; } = "";

    /// <summary>Consecutive failed probes after this one.</summary>
    public int FailingStreak { get; init; }

    /// <summary>The probe's exit code.</summary>
    public int ExitCode => Probe.ExitCode;

    /// <summary>The probe's output.</summary>
    public string Output => Probe.Output;

    /// <summary>How long the probe took.</summary>
    public TimeSpan Duration => Probe.End - Probe.Start;

    /// <summary>The probe itself.</summary>
    public HealthProbe Probe { get; init; } = new();
}
