namespace PSContainer.Engine.Containers;

/// <summary>
/// The health of one run of a container, kept in <c>containers/&lt;id&gt;/health.json</c> beside the record so that
/// probes never rewrite the record; a state of an earlier run (another <see cref="RunStartedAt"/>) is void.
/// </summary>
internal sealed class HealthState
{
    /// <summary>Docker keeps five probe results.</summary>
    public const int LogLength = 5;

    /// <summary>Docker keeps 4 KiB of a probe's output.</summary>
    public const int MaxOutput = 4096;

    /// <summary>The StartedAt of the run these probes belong to.</summary>
    public DateTimeOffset RunStartedAt { get; set; }

    public string Status { get; set; } = HealthStatus.Starting;
    public int FailingStreak { get; set; }
    public List<HealthProbe> Log { get; set; } = new();

    /// <summary>
    /// Records a probe, as Docker's health monitor does: success makes it healthy and clears the streak; a failure
    /// in the start period while still starting does not count; otherwise it lengthens the streak, and Retries
    /// failures in a row make it unhealthy. Returns whether it just became unhealthy.
    /// </summary>
    public bool Record(HealthProbe probe, HealthConfig config)
    {
        var before = Status;
        if (probe.ExitCode == 0)
        {
            FailingStreak = 0;
            Status = HealthStatus.Healthy;
        }
        else if (!(Status == HealthStatus.Starting && probe.Start - RunStartedAt < config.EffectiveStartPeriod))
        {
            FailingStreak++;
            if (FailingStreak >= config.EffectiveRetries) Status = HealthStatus.Unhealthy;
        }
        Log.Add(probe);
        if (Log.Count > LogLength) Log.RemoveRange(0, Log.Count - LogLength);
        return before != HealthStatus.Unhealthy && Status == HealthStatus.Unhealthy;
    }

    /// <summary>
    /// How long after <paramref name="last"/> (the previous probe's end, or the start of the run) the next probe
    /// runs: the start interval (5 s by default) while starting in the start period, the interval otherwise.
    /// </summary>
    public static TimeSpan NextDelay(HealthConfig config, string status, DateTimeOffset runStartedAt, DateTimeOffset last) =>
        status == HealthStatus.Starting && last - runStartedAt < config.EffectiveStartPeriod
            ? config.EffectiveStartInterval
            : config.EffectiveInterval;

    /// <summary>The public view.</summary>
    public ContainerHealth ToHealth() => new() { Status = Status, FailingStreak = FailingStreak, Log = Log.ToList() };
}
