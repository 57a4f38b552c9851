using System.Management.Automation;

namespace PSContainer.Commands.Containers;

/// <summary>Removes containers (like <c>docker rm</c>); -Force stops running ones first.</summary>
[Cmdlet(VerbsCommon.Remove, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName", ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveContainerCommand : ContainerCmdlet
{
    /// <summary>Kill and remove running or paused containers.</summary>
    [Parameter]
    [Alias("f")]
    public SwitchParameter Force { get; set; }

    /// <summary>Also remove the container's anonymous volumes (named volumes stay).</summary>
    [Parameter]
    public SwitchParameter Volumes { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, "Remove container")) continue;
            TryEngine(() => Engine.Containers.Remove(target.Id, Force, Volumes), target.Name);
        }
    }
}
