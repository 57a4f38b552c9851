using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Stops running containers (like <c>docker stop</c>): the stop signal, then SIGKILL after the timeout.</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerCommand : ContainerCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL (default: the container's, 10).</summary>
    [Parameter]
    [Alias("t", "Time")]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Write the container object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, "Stop container")) continue;
            TryEngine(() =>
            {
                Engine.Containers.Stop(target.Id, Timeout is { } t ? TimeSpan.FromSeconds(t) : null);
                if (PassThru) WriteObject(Describe(target.Id));
            }, target.Name);
        }
    }
}
