using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Lists what a container's writable layer added (A), changed (C) and deleted (D) compared with its image
/// (like <c>docker diff</c>).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerChange", DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerChange))]
public sealed class GetContainerChangeCommand : ContainerCmdlet
{
    /// <summary>Only changes of these kinds.</summary>
    [Parameter]
    public ContainerChangeKind[]? Kind { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            TryEngine(() =>
            {
                foreach (var change in Engine.Files.Changes(target.Id))
                    if (Kind is null || Kind.Contains(change.Kind))
                        WriteObject(change);
            }, target.Name);
        }
    }
}
