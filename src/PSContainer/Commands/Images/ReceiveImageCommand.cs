using System.Collections.Concurrent;
using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Images;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;

namespace PSContainer.Commands.Images;

/// <summary>Pulls images from a registry (like <c>docker pull</c>); "nginx" means docker.io/library/nginx:latest.</summary>
[Cmdlet(VerbsCommunications.Receive, "Image", SupportsShouldProcess = true)]
[Alias("pull-image")]
[OutputType(typeof(ImageInfo))]
public sealed class ReceiveImageCommand : EngineCmdlet
{
    /// <summary>Image references: "alpine:3.20", "user/app", "ghcr.io/org/app:1.2", "registry.local:5000/app@sha256:…".</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>The platform to pull from a multi-platform image, "os/arch[/variant]" (default: this machine's).</summary>
    [Parameter]
    public string? Platform { get; set; }

    /// <summary>Credentials for the registry; otherwise those saved by Connect-Registry (Docker's config.json).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Allow plain HTTP and unverified TLS for this registry.</summary>
    [Parameter]
    public SwitchParameter Insecure { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            if (!ShouldProcess(name, "Pull image")) continue;
            TryEngine(() =>
            {
                var reference = ImageReference.Parse(name);
                var options = RegistryOptions.For(reference.Registry, Credential, Insecure);
                var wanted = Platform is null ? null : PSContainer.Engine.Registry.Platform.Parse(Platform);
                var record = RunWithProgress(reference, options, wanted);
                WriteObject(Engine.Images.Describe(record, reference.Tag is null ? null : reference.FullName));
            }, name);
        }
    }

    private ImageRecord RunWithProgress(ImageReference reference, RegistryClientOptions options, PSContainer.Engine.Registry.Platform? platform)
    {
        var updates = new BlockingCollection<PullProgress>();
        var puller = new ImagePuller(Engine);
        var pull = Task.Run(async () =>
        {
            try { return await puller.PullAsync(reference, options, platform, updates.Add, CancelToken).ConfigureAwait(false); }
            finally { updates.CompleteAdding(); }
        });
        var parent = new ProgressRecord(1, "Pulling " + reference.FamiliarName, "Resolving");
        var records = new Dictionary<int, ProgressRecord>();
        // Write-Progress works only on the pipeline thread, so the pull reports here.
        foreach (var update in updates.GetConsumingEnumerable())
        {
            if (!records.TryGetValue(update.Layer, out var record))
                records[update.Layer] = record = new ProgressRecord(10 + update.Layer, $"Layer {update.Digest[7..19]}", update.Status) { ParentActivityId = 1 };
            record.StatusDescription = $"{update.Status} {update.BytesDone / 1048576.0:0.0}/{update.BytesTotal / 1048576.0:0.0} MB";
            record.PercentComplete = update.BytesTotal == 0 ? 100 : (int)Math.Min(100, update.BytesDone * 100 / update.BytesTotal);
            parent.StatusDescription = $"{records.Count} of {update.LayerCount} layers";
            WriteProgress(parent);
            WriteProgress(record);
        }
        foreach (var record in records.Values)
        {
            record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }
        parent.RecordType = ProgressRecordType.Completed;
        WriteProgress(parent);
        try
        {
            return pull.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
