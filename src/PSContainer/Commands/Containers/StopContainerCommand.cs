using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Stops running containers (like <c>docker stop</c>): the stop signal, then SIGKILL after the timeout.
/// With -Signal, sends that one signal and returns at once (like <c>docker kill</c>).
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerCommand : ContainerCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL (default: the container's, 10).</summary>
    [Parameter]
    [Alias("t", "Time")]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Send only this signal (a name such as KILL, SIGHUP, or a number), as docker kill -s does, without waiting.</summary>
    [Parameter]
    [Alias("s")]
    [ValidateNotNullOrEmpty]
    public string? Signal { get; set; }

    /// <summary>Write the container object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, Signal is null ? "Stop container" : $"Send {Signal} to container")) continue;
            TryEngine(() =>
            {
                if (Signal is not null) Engine.Containers.Kill(target.Id, global::PSContainer.Engine.Runtime.Signals.Parse(Signal));
                else Engine.Containers.Stop(target.Id, Timeout is { } t ? TimeSpan.FromSeconds(t) : null);
                if (PassThru) WriteObject(Describe(target.Id));
            }, target.Name);
        }
    }
}
