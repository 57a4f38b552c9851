using System.Management.Automation;
using PSContainer.Engine.Images;

namespace PSContainer.Transformations;

/// <summary>Lets an image parameter take an ImageInfo (from Get-Image or Receive-Image) as well as a name.</summary>
public sealed class ImageNameTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject pso ? pso.BaseObject : inputData) is ImageInfo image
            ? (image.Repository == "<none>" ? image.Id : image.Name)
            : inputData;
}
