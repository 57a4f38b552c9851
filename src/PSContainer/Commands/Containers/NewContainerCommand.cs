using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Creates a container from an image (like <c>docker create</c>); start it with Start-Container.</summary>
[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerInfo))]
public sealed class NewContainerCommand : ContainerCreationCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Image, "Create container" + (Name is null ? "" : $" '{Name}'"))) return;
        TryEngine(() => WriteObject(ContainerInfo.From(Engine.Containers.Create(Request()))), Image);
    }
}
