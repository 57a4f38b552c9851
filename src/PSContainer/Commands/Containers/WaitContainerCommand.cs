using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Transformations;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Waits on containers' state (like <c>docker wait</c>): by default until each has exited for good and writes
/// its exit code; with -Condition Running or Healthy until it runs or reports healthy, and writes the container.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = "ByName")]
[OutputType(typeof(int), typeof(ContainerInfo))]
public sealed class WaitContainerCommand : ContainerCmdlet
{
    /// <summary>What to wait for: Exited (the default; writes the exit code), Running or Healthy (write the container).</summary>
    [Parameter]
    public WaitCondition Condition { get; set; } = WaitCondition.Exited;

    /// <summary>How long to wait for each container before an error: a TimeSpan, Docker's "30s", or seconds. Default: no limit.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
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
