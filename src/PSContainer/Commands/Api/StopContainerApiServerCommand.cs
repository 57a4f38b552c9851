using System.Management.Automation;
using PSContainer.Engine.ApiService;

namespace PSContainer.Commands.Api;

/// <summary>
/// Stops Docker Engine API servers: each finishes the requests in flight (up to -Timeout) and removes its socket.
/// Containers keep running; they never depended on the server.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "ContainerApiServer", SupportsShouldProcess = true, DefaultParameterSetName = "BySocket", ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StopContainerApiServerCommand : EngineCmdlet
{
    /// <summary>The socket of the server to stop; all servers of this store when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = "BySocket", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Socket { get; set; }

    /// <summary>Servers from Get-ContainerApiServer or Start-ContainerApiServer.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public ApiServerInfo[] InputObject { get; set; } = [];

    /// <summary>How long to wait for a server to finish before it is killed; default 10 seconds.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        List<ApiServerInfo> servers = [];
        if (ParameterSetName == "ByObject")
        {
            servers.AddRange(InputObject);
        }
        else
        {
            var socket = Socket is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Socket);
            if (!TryEngine(() => servers.AddRange(ApiServers.List(Engine.Layout).Where(s => socket is null || s.Socket == socket)))) return;
            if (socket is not null && servers.Count == 0)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"No API server of this store listens on {socket}."), "ApiServerNotFound", ErrorCategory.ObjectNotFound, socket));
                return;
            }
        }
        foreach (var server in servers)
        {
            if (!ShouldProcess($"{server.DockerHost} (pid {server.Pid})", "Stop the Docker Engine API server")) continue;
            TryEngine(() => ApiServers.Stop(Engine.Layout, server, Timeout), server);
        }
    }
}
