using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Lists the processes running in containers (like <c>docker top</c>); with -Listening, the sockets that wait
/// for connections inside each container's network namespace and the processes holding them (as <c>ss -lntup</c>).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerProcess", DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerProcess), typeof(ListeningSocket))]
public sealed class GetContainerProcessCommand : ContainerCmdlet
{
    /// <summary>List the listening TCP sockets and bound UDP sockets, each with its port and the process that holds it.</summary>
    [Parameter]
    public SwitchParameter Listening { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (Listening)
                TryEngine(() => WriteObject(ContainerSockets.Of(Engine.Containers, target.Id), enumerateCollection: true), target.Name);
            else
                TryEngine(() => WriteObject(ContainerProcesses.Of(Engine.Containers, target.Id), enumerateCollection: true), target.Name);
        }
    }
}
