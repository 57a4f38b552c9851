using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Unpauses containers (like <c>docker unpause</c>).</summary>
[Cmdlet(VerbsLifecycle.Resume, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class ResumeContainerCommand : ContainerCmdlet
{

    /// <summary>Write the container object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, "Resume container")) continue;
            TryEngine(() =>
            {
                Engine.Containers.Resume(target.Id);
                if (PassThru) WriteObject(Describe(target.Id));
            }, target.Name);
        }
    }
}
