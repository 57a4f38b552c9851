using System.Management.Automation;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Oci;

namespace PSContainer.Transformations;

/// <summary>Lets a point in time also be given as Docker's relative duration: <c>-Since 5m</c> means five minutes ago.</summary>
public sealed class SinceTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if ((inputData is PSObject pso ? pso.BaseObject : inputData) is not string text) return inputData;
        if (GoDuration.TryParse(text.Trim(), out TimeSpan ago)) return DateTime.UtcNow - ago;
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeLocal, out var time)) return time.UtcDateTime;
        throw new ArgumentTransformationMetadataException($"'{text}' is not a time. Use a date and time (2024-05-01T12:00:00Z) or how long ago: {DockerValues.DurationForms}.");
    }
}
