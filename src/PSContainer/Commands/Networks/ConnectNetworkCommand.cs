using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Networks;

/// <summary>
/// Connects containers to a network (like <c>docker network connect</c>): a running container gets a new
/// interface at once, a stopped one on its next start.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Network", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class ConnectNetworkCommand : ContainerNetworkCmdlet
{
    /// <summary>Extra names the container answers to on this network.</summary>
    [Parameter]
    [Alias("Alias")]
    [ValidateNotNullOrEmpty]
    public string[]? NetworkAlias { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() =>
        ForEachContainer($"Connect to network '{Network}'", key => Engine.Containers.Connect(key, Network, NetworkAlias ?? []));
}
