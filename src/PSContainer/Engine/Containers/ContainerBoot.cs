using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Containers;

/// <summary>
/// The boot path (Start-ContainerEngine), doing what dockerd does when it starts: with the store reconciled
/// after the reboot (which opening the engine does), every container whose restart policy brings it back is
/// started — <c>always</c> ones, <c>unless-stopped</c> ones the user did not stop, and <c>on-failure</c> ones
/// whose last run failed (a run the reboot cut short counts as failed, as in Docker). That pass runs once per
/// boot, so running it again later never starts a container the user has stopped since.
/// </summary>
internal sealed class ContainerBoot
{
    private readonly StoreLayout _layout;
    private readonly ContainerManager _containers;

    public ContainerBoot(StoreLayout layout, ContainerManager containers)
    {
        _layout = layout;
        _containers = containers;
    }

    /// <summary>The run-root file that records the boot whose containers were started.</summary>
    private string MarkerFile => Path.Combine(_layout.RunRoot, "boot-started");

    /// <summary>
    /// Starts what the boot brings back; returns the containers started, and a failure per container that
    /// could not start (the others still start). Idempotent: a second call in the same boot only completes
    /// overdue restarts.
    /// </summary>
    public (List<ContainerRecord> Started, List<EngineException> Failures) Run()
    {
        var started = new List<ContainerRecord>();
        var failures = new List<EngineException>();
        var bootId = File.ReadAllText(_layout.BootIdFile).Trim();
        // Listing completes restarts that are overdue because their exit command never ran.
        var containers = _containers.List();
        if (File.Exists(MarkerFile) && File.ReadAllText(MarkerFile).Trim() == bootId) return (started, failures);
        foreach (var record in containers)
        {
            var state = record.State;
            if (state.Status is not (ContainerStatus.Exited or ContainerStatus.Created)) continue;
            if (!RestartDecision.AtBoot(RestartPolicy.Parse(record.Settings.RestartPolicy), state.ExitCode, state.ManuallyStopped, state.RestartCount, state.StartedAt is not null))
                continue;
            try
            {
                started.Add(_containers.Start(record.Id));
            }
            catch (EngineException ex)
            {
                failures.Add(ex);
            }
        }
        AtomicFile.WriteAllText(MarkerFile, bootId);
        return (started, failures);
    }
}
