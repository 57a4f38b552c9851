using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Pauses all processes of containers with the cgroup freezer (like <c>docker pause</c>).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class SuspendContainerCommand : ContainerCmdlet
{

    /// <summary>Write the container object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, "Pause container")) continue;
            TryEngine(() =>
            {
                Engine.Containers.Pause(target.Id);
                if (PassThru) WriteObject(Describe(target.Id));
            }, target.Name);
        }
    }
}
