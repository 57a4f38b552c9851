namespace PSContainer.Engine.Containers;

/// <summary>
/// Docker's restart manager as a pure function: whether an exit is followed by a restart, and after what
/// back-off. The delay starts at 100 ms and doubles with each restart up to a minute; a run of 10 seconds
/// or more starts it over. A stop the user asked for is never undone.
/// </summary>
internal static class RestartDecision
{
    /// <summary>The first back-off.</summary>
    public static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest back-off.</summary>
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromMinutes(1);

    /// <summary>A run at least this long resets the back-off.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Decides after a process exit. <paramref name="previousDelay"/> is the back-off before the run that just
    /// ended (zero when there was none). Returns null when the container stays stopped, else the delay.
    /// </summary>
    public static TimeSpan? AfterExit(RestartPolicy policy, int exitCode, bool stoppedByUser, int restartCount, TimeSpan previousDelay, TimeSpan ranFor)
    {
        if (policy.IsNone || stoppedByUser) return null;
        if (!Restarts(policy, exitCode, stoppedByUser, restartCount)) return null;
        return NextDelay(previousDelay, ranFor);
    }

    /// <summary>
    /// Decides at boot (Start-ContainerEngine), as dockerd does when it starts: <c>always</c> comes back even
    /// after a user stop, <c>unless-stopped</c> unless the user stopped it, <c>on-failure</c> when its last run
    /// failed (a run the reboot ended counts as failed) and retries remain. Never-started containers stay.
    /// </summary>
    public static bool AtBoot(RestartPolicy policy, int? exitCode, bool stoppedByUser, int restartCount, bool startedBefore) =>
        startedBefore && !policy.IsNone && Restarts(policy, exitCode ?? 0, stoppedByUser, restartCount);

    /// <summary>The back-off after <paramref name="previousDelay"/> for a run of <paramref name="ranFor"/>.</summary>
    public static TimeSpan NextDelay(TimeSpan previousDelay, TimeSpan ranFor)
    {
        if (ranFor >= ResetAfter || previousDelay <= TimeSpan.Zero) return InitialDelay;
        var doubled = previousDelay * 2;
        return doubled > MaximumDelay ? MaximumDelay : doubled;
    }

    private static bool Restarts(RestartPolicy policy, int exitCode, bool stoppedByUser, int restartCount) => policy.Kind switch
    {
        RestartPolicyKind.Always => true,
        RestartPolicyKind.UnlessStopped => !stoppedByUser,
        RestartPolicyKind.OnFailure => !stoppedByUser && exitCode != 0 && (policy.MaximumRetryCount == 0 || restartCount < policy.MaximumRetryCount),
        _ => false,
    };
}
