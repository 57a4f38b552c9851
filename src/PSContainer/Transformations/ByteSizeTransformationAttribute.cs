using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Transformations;

/// <summary>Lets a size in bytes also take Docker's forms: <c>-Memory 512m</c>, <c>1g</c>, as well as PowerShell's 512MB.</summary>
public sealed class ByteSizeTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if ((inputData is PSObject pso ? pso.BaseObject : inputData) is not string text) return inputData;
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var plain)) return plain;
        if (DockerValues.TryParseSize(text, out var bytes)) return bytes;
        throw new ArgumentTransformationMetadataException($"'{text}' is not a size. Use {DockerValues.SizeForms}.");
    }
}
