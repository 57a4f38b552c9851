using System.Management.Automation;
using PSContainer.Engine.Containers;
using PSContainer.Transformations;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Waits on containers (like <c>docker wait</c>): by default until each has exited and writes its exit code;
/// with -Port until a TCP port listens inside it, with -LogPattern until a line of its output matches, and
/// then writes the container.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = "ByName")]
[OutputType(typeof(int), typeof(ContainerInfo))]
public sealed class WaitContainerCommand : ContainerCmdlet
{
    /// <summary>Wait until something listens on this TCP port inside the container's network namespace.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>Wait until a line the container writes (stdout or stderr) matches this regular expression.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPattern { get; set; }

    /// <summary>How long to wait for -Port or -LogPattern before an error: a TimeSpan, Docker's "30s", or seconds. Default: no limit.</summary>
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
            if (condition is null)
                TryEngine(() => WriteObject(Engine.Containers.Wait(target.Id, CancelToken)), target.Name);
            else
                TryEngine(() => WriteObject(ContainerInfo.From(Engine.Waiter.WaitFor(target.Id, condition, Timeout, CancelToken))), target.Name);
        }
    }
}
