using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Restarts containers (like <c>docker restart</c>): stop, then start.</summary>
[Cmdlet(VerbsLifecycle.Restart, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class RestartContainerCommand : ContainerCmdlet
{
    /// <summary>Seconds to wait after the stop signal before SIGKILL.</summary>
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
            if (!ShouldProcess(target.Name, "Restart container")) continue;
            TryEngine(() =>
            {
                Engine.Containers.Stop(target.Id, Timeout is { } t ? TimeSpan.FromSeconds(t) : null);
                Engine.Containers.Start(target.Id);
                if (PassThru) WriteObject(Describe(target.Id));
            }, target.Name);
        }
    }
}
