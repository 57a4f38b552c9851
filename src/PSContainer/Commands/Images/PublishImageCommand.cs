using System.Management.Automation;
using PSContainer.Commands.Registries;
using PSContainer.Engine.Images;
using PSContainer.Engine.References;
using PSContainer.Transformations;

namespace PSContainer.Commands.Images;

/// <summary>
/// Pushes an image to a registry (like <c>docker push</c>): layers the repository has are skipped, layers another
/// repository of the registry has are mounted from there, and the OCI manifest goes up last.
/// </summary>
[Cmdlet(VerbsData.Publish, "Image", SupportsShouldProcess = true)]
[OutputType(typeof(ImagePushResult))]
public sealed class PublishImageCommand : EngineCmdlet
{
    /// <summary>The image to push: name, id or ImageInfo. Without -Destination it is pushed under this name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ImageNameTransformation]
    [ArgumentCompleter(typeof(Completers.ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Where to push it, such as "registry.local:5000/tools/busybox:1.36"; the image is not tagged locally.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>The login to use instead of the one Connect-Registry stored.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Allow plain HTTP and an unverified TLS certificate for this registry (loopback registries may use HTTP anyway).</summary>
    [Parameter]
    public SwitchParameter Insecure { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var target = Destination ?? Name;
        var shown = ImageReference.TryParse(target, out var parsed) ? parsed.FamiliarName : target;
        if (!ShouldProcess(shown, $"Push image {Name}")) return;
        TryEngine(() =>
        {
            var pusher = Engine.ImagePusher(RegistryOptions.ForReference(target, Credential, Insecure));
            var result = RunWithProgress<ImagePushResult, PushProgress>(
                (report, cancel) => pusher.PushAsync(Name, Destination, report, cancel), ToRecord);
            WriteObject(result);
        }, Name);
    }

    private ProgressRecord ToRecord(PushProgress progress)
    {
        var layer = $"{progress.Digest.Hex[..12]} ({progress.Index + 1}/{progress.Count})";
        var record = new ProgressRecord(progress.Index + 1, "Pushing layer " + layer, Status(progress));
        if (progress.IsDone)
        {
            WriteVerbose($"Layer {layer}: {Status(progress)}");
            record.RecordType = ProgressRecordType.Completed;
            return record;
        }
        record.PercentComplete = progress.Total == 0 ? 100 : (int)(progress.Bytes * 100 / progress.Total);
        return record;
    }

    private static string Status(PushProgress progress) => progress.Phase switch
    {
        PushPhase.Compressing => $"Compressing {Megabytes(progress.Bytes)} of {Megabytes(progress.Total)}",
        PushPhase.Uploading => $"Uploading {Megabytes(progress.Bytes)} of {Megabytes(progress.Total)}",
        PushPhase.Exists => "already exists",
        PushPhase.Mounted => "mounted from another repository",
        _ => "pushed",
    };

    private static string Megabytes(long bytes) => $"{bytes / 1048576.0:0.0} MB";
}
