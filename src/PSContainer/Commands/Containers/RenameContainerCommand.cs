using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Renames a container (like <c>docker rename</c>).</summary>
[Cmdlet(VerbsCommon.Rename, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class RenameContainerCommand : ContainerCmdlet
{
    /// <summary>The new name.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string NewName { get; set; } = "";

    /// <summary>Write the container object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, $"Rename container to '{NewName}'")) continue;
            TryEngine(() =>
            {
                var renamed = Engine.Containers.Rename(target.Id, NewName);
                if (PassThru) WriteObject(ContainerInfo.From(renamed));
            }, target.Name);
        }
    }
}
