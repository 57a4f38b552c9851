using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>The confinement parameters of New-Container and Invoke-Container: capabilities, seccomp, privileges.</summary>
public abstract partial class ContainerCreationCmdlet
{
    /// <summary>
    /// Security options as in docker run --security-opt: "seccomp=unconfined", "seccomp=&lt;profile.json&gt;"
    /// (Docker or OCI format), "no-new-privileges[=true|false]", "systempaths=unconfined".
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completers.SecurityOptCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? SecurityOpt { get; set; }

    /// <summary>Capabilities to add to Docker's default set: "NET_ADMIN", "CAP_SYS_PTRACE" or "ALL".</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completers.CapabilityCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? CapAdd { get; set; }

    /// <summary>Capabilities to remove from Docker's default set: "NET_RAW", "CAP_CHOWN" or "ALL".</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completers.CapabilityCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? CapDrop { get; set; }

    /// <summary>Every capability, no seccomp filter, no masked paths, writable /sys and the host's devices.</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    private SecuritySettings SecuritySettings() =>
        SecurityOptions.Parse(SecurityOpt, CapAdd, CapDrop, Privileged, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
}
