using System.Management.Automation;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Images;

/// <summary>
/// Imports a root filesystem tarball (plain, gzip or zstd) as a new one-layer image, like <c>docker import</c>.
/// </summary>
[Cmdlet(VerbsData.Import, "Image", SupportsShouldProcess = true)]
[OutputType(typeof(ImageInfo))]
public sealed class ImportImageCommand : EngineCmdlet
{
    /// <summary>The tarball to import.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The name to tag the image with, such as "busybox:latest".</summary>
    [Parameter(Position = 1)]
    [Alias("Reference")]
    public string? Tag { get; set; }

    /// <summary>Dockerfile instructions to apply: "CMD [\"sh\"]", "ENV A=1", "WORKDIR /app", "ENTRYPOINT …", "USER …", "LABEL …", "EXPOSE …", "VOLUME …".</summary>
    [Parameter]
    [Alias("c")]
    public string[]? Change { get; set; }

    /// <summary>A comment for the image's history.</summary>
    [Parameter]
    [Alias("m")]
    public string? Message { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!File.Exists(file))
        {
            WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the file '{file}'.", file), "ImportFileNotFound", ErrorCategory.ObjectNotFound, Path));
            return;
        }
        if (!ShouldProcess(file, "Import image" + (Tag is null ? "" : $" as {Tag}"))) return;
        TryEngine(() =>
        {
            using var stream = new ProgressStream(File.OpenRead(file), this, "Importing " + global::System.IO.Path.GetFileName(file));
            var record = new RootfsImporter(Engine).Import(stream, Tag, Change ?? [], Message, CancelToken);
            stream.Complete();
            WriteObject(Engine.Images.Describe(record, Tag));
        }, Path);
    }
}
