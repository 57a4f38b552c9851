using System.Management.Automation;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Images;
using PSContainer.Engine.References;

namespace PSContainer.Commands.Images;

/// <summary>
/// Saves images to a tar archive (like <c>docker save</c>): a docker-archive that both older Docker and Docker 25+
/// load, or an oci-archive. All images named or piped in go into one archive.
/// </summary>
[Cmdlet(VerbsData.Export, "Image", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(FileInfo))]
public sealed class ExportImageCommand : EngineCmdlet
{
    private readonly List<ImageToExport> _images = [];

    /// <summary>Image names ("busybox:latest") or ids; a name goes into the archive as the image's tag, an id leaves it unnamed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName")]
    [ArgumentCompleter(typeof(Completers.ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Images from Get-Image or Import-Image, each exported under the name it shows.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public ImageInfo[] InputObject { get; set; } = [];

    /// <summary>The archive to write; an existing file is replaced once the new archive is complete.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Output", "o")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>DockerArchive (the default, as docker save writes) or OciArchive.</summary>
    [Parameter]
    [Transformations.EnumNameTransformation(typeof(ImageArchiveFormat))]
    public ImageArchiveFormat Format { get; set; } = ImageArchiveFormat.DockerArchive;

    /// <summary>Write the archive's FileInfo.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var keys = ParameterSetName == "ByObject"
            ? InputObject.Select(i => i.Repository == "<none>" ? i.Id : i.Name)
            : Name;
        foreach (var key in keys)
        {
            TryEngine(() =>
            {
                var image = Engine.Images.Resolve(key);
                var tag = Engine.Images.TagOf(key, image);
                var index = _images.FindIndex(i => i.Image.Id == image.Id);
                if (index < 0)
                    _images.Add(new ImageToExport(image, tag is null ? [] : [tag]));
                else if (tag is not null && !_images[index].Tags.Contains(tag))
                    _images[index] = _images[index] with { Tags = [.. _images[index].Tags, tag] };
            }, key);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_images.Count == 0) return;
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var names = string.Join(", ", _images.Select(i => i.Tags.Count == 0 ? i.Image.Id : string.Join(", ", i.Tags.Select(Familiar))));
        if (!ShouldProcess(file, $"Export {names} as {Format}")) return;
        var progress = new ProgressReporter(this, "Exporting to " + global::System.IO.Path.GetFileName(file));
        var written = TryEngine(() => Engine.ImageExporter.Export(_images, file, Format, progress.Report, WriteVerbose, CancelToken), Path);
        progress.Complete();
        if (written && PassThru) WriteObject(new FileInfo(file));
    }

    private static string Familiar(string fullTag) => ImageReference.Parse(fullTag).FamiliarName;
}
