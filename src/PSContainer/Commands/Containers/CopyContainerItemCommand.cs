using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Copies files and directories between a container and the host (like <c>docker cp</c>), keeping modes,
/// owners, times and symlinks. The container side is written "container:path", or given with -Container.
/// Works on running containers (paused meanwhile) and stopped ones.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "ContainerItem", SupportsShouldProcess = true)]
public sealed class CopyContainerItemCommand : EngineCmdlet
{
    /// <summary>What to copy: a host path, or "container:path". With -Container, a path in the container unless -ToContainer.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Where to copy to: a host path, or "container:path". With -ToContainer, a path in the container.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>The container (name or id), instead of a "container:" prefix; binds from piped containers' Id.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(Completers.ContainerNameCompleter))]
    public string? Container { get; set; }

    /// <summary>With -Container: copy from the host into the container (-Destination is the container path).</summary>
    [Parameter]
    public SwitchParameter ToContainer { get; set; }

    /// <summary>Follow a symlink named by -Path instead of copying the link itself (docker cp -L).</summary>
    [Parameter]
    [Alias("L")]
    public SwitchParameter FollowSymlink { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        // docker cp reads or writes a tar on stdin/stdout for "-"; a cmdlet's output is objects, not a byte stream.
        if (Path == "-" || Destination == "-")
        {
            Fail("CopyStreamNotSupported", "Copy-ContainerItem does not stream a tar through stdin or stdout ('-'): give a host path "
                + "(Copy-ContainerItem web:/etc ./etc), or for the whole file system use Export-Container web ./web.tar.");
            return;
        }
        string container, containerPath, hostPath;
        bool into;
        if (Container is not null)
        {
            (container, into) = (Container, ToContainer.IsPresent);
            (containerPath, hostPath) = into ? (Destination, Path) : (Path, Destination);
        }
        else
        {
            var source = SplitContainer(Path);
            var destination = SplitContainer(Destination);
            if (source is not null && destination is not null)
            {
                Fail("CopyBetweenContainers", "Copying between containers is not supported: copy to the host first.");
                return;
            }
            if (source is null && destination is null)
            {
                Fail("CopyNeedsContainer", "Name the container as \"container:path\" in -Path or -Destination, or use -Container.");
                return;
            }
            into = destination is not null;
            (container, containerPath) = (source ?? destination)!.Value;
            hostPath = into ? Path : Destination;
        }
        var local = LocalPath(hostPath);
        var action = into ? $"Copy {local} to {container}:{containerPath}" : $"Copy {container}:{containerPath} to {local}";
        if (!ShouldProcess(action, "Copy container item")) return;
        var files = Engine.Files;
        TryEngine(() =>
        {
            try
            {
                if (into)
                    files.CopyIn(container, local, containerPath, FollowSymlink, CancelToken);
                else
                    files.CopyOut(container, containerPath, local, FollowSymlink, CancelToken);
            }
            catch (IOException ex)
            {
                throw new EngineException("CopyFailed", EngineErrorKind.ExternalFailure, $"{action} failed: {ex.Message}", container, ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new EngineException("CopyFailed", EngineErrorKind.PermissionDenied, $"{action} failed: {ex.Message}", container, ex);
            }
        }, container);
    }

    /// <summary>
    /// "name:path" → (name, path), as docker cp reads it: the part before the first colon names a container
    /// when it has no '/' and is not a PowerShell drive (so "Temp:/x" stays a host path).
    /// </summary>
    private (string Container, string Path)? SplitContainer(string value)
    {
        var colon = value.IndexOf(':');
        if (colon <= 0) return null;
        var name = value[..colon];
        if (name.Contains('/') || SessionState.Drive.GetAll().Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)))
            return null;
        return (name, value[(colon + 1)..]);
    }

    /// <summary>A host path from PowerShell's point of view, keeping the trailing "/" or "/." that docker cp gives meaning to.</summary>
    private string LocalPath(string path)
    {
        var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path).TrimEnd('/');
        if (CopyPlan.MeansContents(path)) return (full.EndsWith("/.", StringComparison.Ordinal) ? full : full + "/.");
        return path.EndsWith('/') ? full + "/" : full;
    }

    private void Fail(string errorId, string message) =>
        WriteError(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, Path));
}
