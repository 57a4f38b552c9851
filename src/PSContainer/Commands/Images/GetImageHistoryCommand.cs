using System.Management.Automation;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Images;

/// <summary>Shows how an image was made, one object per history entry, newest first (like <c>docker history</c>).</summary>
[Cmdlet(VerbsCommon.Get, "ImageHistory", DefaultParameterSetName = "ByName")]
[OutputType(typeof(ImageHistoryEntry))]
public sealed class GetImageHistoryCommand : EngineCmdlet
{
    /// <summary>Image names or ids.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName")]
    [ArgumentCompleter(typeof(Completers.ImageNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Image ids; binds from piped objects' Id or ImageId (Get-Image, Build-Image).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    [Alias("ImageId")]
    public string[] Id { get; set; } = [];

    /// <summary>An image from Get-Image or Build-Image.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public ImageInfo? InputObject { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var keys = InputObject is not null ? [InputObject.Id] : ParameterSetName == "ById" ? Id : Name;
        foreach (var key in keys)
            TryEngine(() => WriteObject(Engine.Images.History(Engine.Images.Resolve(key)), enumerateCollection: true), key);
    }
}
