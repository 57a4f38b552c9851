using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Networks;

/// <summary>Disconnects containers from a network (like <c>docker network disconnect</c>); a running one loses that interface at once.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Network", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class DisconnectNetworkCommand : ContainerNetworkCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord() =>
        ForEachContainer($"Disconnect from network '{Network}'", key => Engine.Containers.Disconnect(key, Network));
}
