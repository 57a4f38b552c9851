using System.Management.Automation;
using PSContainer.Engine.Images;
using PSContainer.Transformations;

namespace PSContainer.Commands.Images;

/// <summary>Gives an image another name (like <c>docker tag</c>).</summary>
[Cmdlet(VerbsCommon.Add, "ImageTag", SupportsShouldProcess = true)]
[OutputType(typeof(ImageInfo))]
public sealed class AddImageTagCommand : EngineCmdlet
{
    /// <summary>The image: name, id or ImageInfo.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ImageNameTransformation]
    [ArgumentCompleter(typeof(Completers.ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    /// <summary>The new names, such as "registry.local:5000/team/app:1.0".</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = [];

    /// <summary>Write the tagged image.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var tag in Tag)
        {
            if (!ShouldProcess(Image, $"Tag as {tag}")) continue;
            TryEngine(() =>
            {
                var image = Engine.Images.Resolve(Image);
                Engine.Images.Tag(image, tag);
                if (PassThru) WriteObject(Engine.Images.Describe(image, tag));
            }, tag);
        }
    }
}
