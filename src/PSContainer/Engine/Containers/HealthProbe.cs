namespace PSContainer.Engine.Containers;

/// <summary>One healthcheck probe's result, as in Docker's State.Health.Log.</summary>
public sealed class HealthProbe
{
    /// <summary>When the probe started.</summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset End { get; set; }

    /// <summary>0: healthy; anything else: a failure (-1 when it timed out or could not run).</summary>
    public int ExitCode { get; set; }

    /// <summary>What it wrote (stdout and stderr), at most 4 KiB.</summary>
    public string Output { get; set; } = "";

    /// <inheritdoc/>
    public override string ToString() => $"{ExitCode}: {Output.Trim()}";
}
