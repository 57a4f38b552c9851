using System.Management.Automation;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Images;

/// <summary>
/// Imports images from a docker-archive or oci-archive (like <c>docker load</c>), or a root filesystem tarball
/// (plain, gzip or zstd) as a new one-layer image (like <c>docker import</c>).
/// </summary>
[Cmdlet(VerbsData.Import, "Image", SupportsShouldProcess = true)]
[OutputType(typeof(ImageInfo))]
public sealed class ImportImageCommand : EngineCmdlet
{
    /// <summary>The archive or tarball to import.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Names for the image, such as "busybox:latest"; an archive's image keeps the names the archive gives it too.</summary>
    [Parameter(Position = 1)]
    [Alias("Reference")]
    public string[]? Tag { get; set; }

    /// <summary>Dockerfile instructions to apply to a root filesystem import: "CMD [\"sh\"]", "ENV A=1", "WORKDIR /app", "ENTRYPOINT …", "USER …", "LABEL …", "EXPOSE …", "VOLUME …".</summary>
    [Parameter]
    [Alias("c")]
    public string[]? Change { get; set; }

    /// <summary>A comment for the history of a root filesystem import.</summary>
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
        var tags = Tag ?? [];
        if (!ShouldProcess(file, "Import image" + (tags.Length == 0 ? "" : $" as {string.Join(", ", tags)}"))) return;
        TryEngine(() =>
        {
            var progress = new ProgressReporter(this, "Importing " + global::System.IO.Path.GetFileName(file));
            var length = new FileInfo(file).Length;
            // The importer reads the file once per pass; each pass reports from the start again.
            var images = Engine.ArchiveImporter.Import(() => new ProgressReadStream(File.OpenRead(file), done => progress.Report(done, length)),
                tags, Change ?? [], Message, WriteVerbose, CancelToken);
            progress.Complete();
            foreach (var image in images)
                WriteObject(Engine.Images.Describe(image.Image, image.Tag));
        }, Path);
    }
}
