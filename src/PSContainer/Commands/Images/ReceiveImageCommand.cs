using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Images;
using PSContainer.Engine.References;
using PSContainer.Commands.Registries;
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
                var options = RegistryOptions.ForRegistry(reference.Registry, Credential, Insecure);
                var wanted = Platform is null ? null : PSContainer.Engine.Registry.Platform.Parse(Platform);
                var puller = Engine.ImagePuller;
                var record = RunWithProgress<ImageRecord, PullProgress>(
                    (report, cancel) => puller.PullAsync(reference, options, wanted, report, cancel),
                    update => new ProgressRecord(10 + update.Layer, $"Pulling {reference.FamiliarName}: layer {update.Layer + 1} of {update.LayerCount} ({update.Digest[7..19]})", update.Status)
                    {
                        PercentComplete = update.BytesTotal == 0 ? 100 : (int)Math.Min(100, update.BytesDone * 100 / update.BytesTotal),
                        RecordType = update.Status is "Pull complete" or "Already exists" ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                    });
                WriteObject(Engine.Images.Describe(record, reference.Tag is null ? null : reference.FullName));
            }, name);
        }
    }
}
