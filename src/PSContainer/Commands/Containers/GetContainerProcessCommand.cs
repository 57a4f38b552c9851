using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Lists the processes running in containers (like <c>docker top</c>).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerProcess", DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerProcess))]
public sealed class GetContainerProcessCommand : ContainerCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
            TryEngine(() => WriteObject(ContainerProcesses.Of(Engine.Containers, target.Id), enumerateCollection: true), target.Name);
    }
}
