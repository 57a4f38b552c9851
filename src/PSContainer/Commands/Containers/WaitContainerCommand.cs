using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Transformations;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Waits on containers' state (like <c>docker wait</c>): by default until each has exited for good and writes
/// its exit code; with -Condition Running or Healthy until it runs or reports healthy, with -Port until a TCP
/// port listens inside it, with -LogPattern until a line of its output matches, and then writes the container.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = "ByName")]
[OutputType(typeof(int), typeof(ContainerInfo))]
public sealed class WaitContainerCommand : ContainerCmdlet
{
    /// <summary>What to wait for: Exited (the default; writes the exit code), Running or Healthy (write the container).</summary>
    [Parameter]
    public WaitCondition Condition { get; set; } = WaitCondition.Exited;

    /// <summary>Wait until something listens on this TCP port inside the container's network namespace.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>Wait until a line the container writes (stdout or stderr) matches this regular expression.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPattern { get; set; }

    /// <summary>How long to wait for each container before an error: a TimeSpan, Docker's "30s", or seconds. Default: no limit.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        ReadyCondition? condition = null;
        if (Port is not null && LogPattern is not null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Wait for -Port or for -LogPattern, not both."), "WaitConditionConflict", ErrorCategory.InvalidArgument, null));
        if (!TryEngine(() => condition = Port is { } port ? ReadyCondition.ForPort(port) : LogPattern is { } pattern ? ReadyCondition.ForLog(pattern) : null))
            return;
        foreach (var target in Targets())
        {
            if (condition is not null)
            {
                TryEngine(() => WriteObject(ContainerInfo.From(Engine.Waiter.WaitFor(target.Id, condition, Timeout, CancelToken))), target.Name);
                continue;
            }
            TryEngine(() =>
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(CancelToken);
                if (Timeout is { } timeout) limit.CancelAfter(timeout);
                try
                {
                    if (Condition == WaitCondition.Exited)
                        WriteObject(Engine.Containers.Wait(target.Id, limit.Token));
                    else
                        WriteObject(ContainerInfo.From(Engine.Containers.WaitFor(target.Id, Condition, limit.Token)));
                }
                catch (OperationCanceledException) when (!CancelToken.IsCancellationRequested)
                {
                    throw new EngineException("WaitTimeout", EngineErrorKind.Timeout,
                        $"Container {target.Name} was not {Condition.ToString().ToLowerInvariant()} within {Timeout}.", target.Name);
                }
            }, target.Name);
        }
    }
}
