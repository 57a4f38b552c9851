using System.Management.Automation;
using PSContainer.Engine.ApiService;

namespace PSContainer.Commands.Api;

/// <summary>
/// Starts the Docker Engine API server (pscontainer-api) in the background, so the docker CLI, docker-compose and
/// Testcontainers work on this store: <c>DOCKER_HOST=unix:///run/pscontainer/docker.sock docker ps</c>. The server
/// outlives the session, holds no state of its own and takes the same store locks as the cmdlets. Its socket is
/// mode 0660 and answers root only, or also the members of -Group. Writes the server's description.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ContainerApiServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ApiServerInfo))]
public sealed class StartContainerApiServerCommand : EngineCmdlet
{
    /// <summary>The unix socket to listen on; default /run/pscontainer/docker.sock (the store's run root for other stores).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Socket { get; set; }

    /// <summary>Also listen on TCP at address:port (such as 127.0.0.1:2375). Unauthenticated: whoever reaches it is root.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Listen { get; set; }

    /// <summary>A group whose members may use the socket besides root.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Group { get; set; }

    /// <summary>Exit after this long without a request; by default the server runs until stopped.</summary>
    [Parameter]
    public TimeSpan? IdleTimeout { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (IdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("IdleTimeout must be positive."), "InvalidIdleTimeout", ErrorCategory.InvalidArgument, IdleTimeout));
        }
        var socket = Socket is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Socket);
        var target = socket ?? (Listen is null ? ApiServers.DefaultSocket(Engine.Layout) : "tcp://" + Listen);
        if (!ShouldProcess(target, "Start the Docker Engine API server")) return;
        if (Listen is not null)
            WriteWarning($"The API on {Listen} has no TLS and no authentication: anyone who can connect to it controls this host as root. Prefer the unix socket.");
        TryEngine(() => WriteObject(ApiServers.Start(Engine.Layout, new ApiServerLaunch(socket, Listen, Group, IdleTimeout))), target);
    }
}
