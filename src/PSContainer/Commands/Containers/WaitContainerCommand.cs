using System.Management.Automation;

namespace PSContainer.Commands.Containers;

/// <summary>Waits until containers exit and writes their exit codes (like <c>docker wait</c>).</summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = "ByName")]
[OutputType(typeof(int))]
public sealed class WaitContainerCommand : ContainerCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
            TryEngine(() => WriteObject(Engine.Containers.Wait(target.Id, CancelToken)), target.Name);
    }
}
