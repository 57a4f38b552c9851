using System.Management.Automation;
using PSContainer.Engine;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Writes a container's file system to a tar file (like <c>docker export</c>): image and writable layer merged,
/// volumes left out. A running container is paused while it is read.
/// </summary>
[Cmdlet(VerbsData.Export, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerCommand : ContainerCmdlet
{
    private bool _exported;

    /// <summary>The tar file to write; replaced when it exists.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Output", "o")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Write the tar file's FileInfo.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        foreach (var target in Targets())
        {
            if (_exported)
            {
                WriteError(new ErrorRecord(new ArgumentException($"{file} holds one container already; export {target.Name} to a file of its own."),
                    "ExportOneContainerPerFile", ErrorCategory.InvalidArgument, target.Name));
                continue;
            }
            if (!ShouldProcess(target.Name, $"Export container to {file}")) continue;
            _exported = TryEngine(() =>
            {
                try
                {
                    Engine.Files.Export(target.Id, file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new EngineException("ExportFailed", EngineErrorKind.ExternalFailure, $"Cannot export {target.Name} to {file}: {ex.Message}", target.Name, ex);
                }
            }, target.Name);
            if (_exported && PassThru) WriteObject(new FileInfo(file));
        }
    }
}
