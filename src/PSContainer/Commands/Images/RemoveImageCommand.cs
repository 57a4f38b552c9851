using System.Management.Automation;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Images;

/// <summary>
/// Removes images or tags (like <c>docker rmi</c>): a name removes that tag and the image with its last
/// tag; an id removes the image. An image a container uses stays unless -Force.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Image", SupportsShouldProcess = true, DefaultParameterSetName = "ByName", ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveImageCommand : EngineCmdlet
{
    /// <summary>Image names or ids.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName")]
    [ArgumentCompleter(typeof(Completers.ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Images from Get-Image: each removes the tag it shows (or the image, when untagged).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public ImageInfo[] InputObject { get; set; } = [];

    /// <summary>Remove even when containers use the image or it has several tags.</summary>
    [Parameter]
    [Alias("f")]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var keys = ParameterSetName == "ByObject"
            ? InputObject.Select(i => i.Repository == "<none>" ? i.Id : i.Name)
            : Name;
        foreach (var key in keys)
        {
            if (!ShouldProcess(key, "Remove image")) continue;
            TryEngine(() =>
            {
                var (untagged, deleted) = Engine.Images.Remove(key, Force);
                foreach (var tag in untagged) WriteVerbose("Untagged: " + tag);
                if (deleted is not null) WriteVerbose("Deleted: " + deleted);
            }, key);
        }
    }
}
