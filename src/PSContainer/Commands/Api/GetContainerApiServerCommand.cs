using System.Management.Automation;
using PSContainer.Engine.ApiService;

namespace PSContainer.Commands.Api;

/// <summary>Gets the Docker Engine API servers running over this store.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerApiServer")]
[OutputType(typeof(ApiServerInfo))]
public sealed class GetContainerApiServerCommand : EngineCmdlet
{
    /// <summary>Only the server listening on this socket.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Socket { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var socket = Socket is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Socket);
        TryEngine(() =>
        {
            foreach (var server in ApiServers.List(Engine.Layout))
                if (socket is null || server.Socket == socket)
                    WriteObject(server);
        });
    }
}
