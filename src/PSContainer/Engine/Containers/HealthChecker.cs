using System.Text;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Runs a container's healthcheck probe once (an exec with the probe's timeout) and records the result in the
/// container's health state; acts on a container that just became unhealthy (-HealthOnFailure).
/// </summary>
internal sealed class HealthChecker
{
    private readonly StoreLayout _layout;
    private readonly ContainerManager _containers;
    private readonly ContainerExec _exec;

    public HealthChecker(StoreLayout layout, ContainerManager containers, ContainerExec exec)
    {
        _layout = layout;
        _containers = containers;
        _exec = exec;
    }

    /// <summary>The health-state file of a container.</summary>
    public static string StateFile(ContainerPaths paths) => Path.Combine(paths.Dir, "health.json");

    /// <summary>The health of a record's current (or last) run; null without a healthcheck.</summary>
    public static HealthState? Read(ContainerPaths paths, ContainerRecord record)
    {
        if (record.Settings.Healthcheck is not { Enabled: true }) return null;
        var state = StoreJson.TryRead(StateFile(paths), ContainerJsonContext.Default.HealthState);
        var running = record.State.Status is ContainerStatus.Running or ContainerStatus.Paused;
        if (state is not null && state.RunStartedAt == record.State.StartedAt) return state;
        // A run with no probe yet is starting; a stopped container without any state has no health to show.
        return running ? new HealthState { RunStartedAt = record.State.StartedAt ?? default } : null;
    }

    /// <summary>
    /// Runs one probe now and records it. Returns the probe, the health after it, and whether the container
    /// just became unhealthy.
    /// </summary>
    public (HealthProbe Probe, ContainerHealth Health, bool BecameUnhealthy) Probe(string idOrName, CancellationToken cancel)
    {
        var record = _containers.Find(idOrName);
        var config = record.Settings.Healthcheck is { Enabled: true } c ? c
            : throw new EngineException("NoHealthcheck", EngineErrorKind.InvalidState, $"Container {record.Name} has no healthcheck.", record.Name);
        if (record.State.Status != ContainerStatus.Running)
            throw new EngineException("ContainerNotRunning", EngineErrorKind.InvalidState, $"Container {record.Name} is not running; its healthcheck runs only while it runs.", record.Name);

        var probe = Run(record, config, cancel);
        using var _ = _layout.Lock();
        var current = _containers.Store.Get(record.Id);
        // The container stopped or started again meanwhile: the probe belongs to a run that is over.
        if (current is null || current.State.StartedAt != record.State.StartedAt || current.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            return (probe, (Read(_containers.Store.PathsOf(record.Id), current ?? record) ?? new HealthState()).ToHealth(), false);
        var paths = _containers.Store.PathsOf(record.Id);
        var state = Read(paths, current)!;
        var becameUnhealthy = state.Record(probe, config);
        StoreJson.Write(StateFile(paths), state, ContainerJsonContext.Default.HealthState);
        return (probe, state.ToHealth(), becameUnhealthy);
    }

    /// <summary>What -HealthOnFailure asks for, done to a container that just became unhealthy.</summary>
    public void Act(string id, HealthFailureAction action)
    {
        switch (action)
        {
            case HealthFailureAction.Kill:
                // Not a stop by the user: a restart policy may bring it back.
                _containers.Kill(id, Signals.SIGKILL);
                break;
            case HealthFailureAction.Stop:
                _containers.Stop(id);
                break;
            case HealthFailureAction.Restart:
                _containers.Stop(id);
                _containers.Start(id);
                break;
        }
    }

    private HealthProbe Run(ContainerRecord record, HealthConfig config, CancellationToken cancel)
    {
        var output = new StringBuilder();
        var started = DateTimeOffset.UtcNow;
        int exitCode;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(config.EffectiveTimeout);
        try
        {
            exitCode = _exec.Run(record.Id, new ExecRequest { Command = config.Command }, null, (_, line) =>
            {
                lock (output)
                {
                    if (output.Length < HealthState.MaxOutput) output.Append(line).Append('\n');
                }
            }, null, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            exitCode = -1;
            output.Clear().Append("Health check exceeded timeout (").Append(DockerDuration.Format(config.EffectiveTimeout)).Append(')');
        }
        catch (EngineException ex)
        {
            exitCode = ex.Data["ExitCode"] is int code ? code : -1;
            output.Clear().Append(ex.Message);
        }
        var text = output.ToString();
        return new HealthProbe
        {
            Start = started,
            End = DateTimeOffset.UtcNow,
            ExitCode = exitCode,
            Output = text.Length > HealthState.MaxOutput ? text[..HealthState.MaxOutput] : text,
        };
    }
}
