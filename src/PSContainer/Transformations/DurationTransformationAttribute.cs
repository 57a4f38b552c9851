using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Transformations;

/// <summary>
/// Lets a TimeSpan parameter take Docker's duration strings ("30s", "1m30s", "500ms") and plain numbers as
/// seconds, besides TimeSpan values. (Unquoted, PowerShell reads 30s as the number 30, a short: seconds too.)
/// </summary>
public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject pso ? pso.BaseObject : inputData) switch
        {
            TimeSpan span => span,
            string text => Parse(text),
            sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or System.Numerics.BigInteger
                => TimeSpan.FromSeconds(Convert.ToDouble(inputData is PSObject p ? p.BaseObject : inputData, System.Globalization.CultureInfo.InvariantCulture)),
            _ => inputData,
        };

    private static TimeSpan Parse(string text)
    {
        try
        {
            return DockerDuration.Parse(text, "Duration");
        }
        catch (EngineException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}
