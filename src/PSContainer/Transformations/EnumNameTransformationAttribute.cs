using System.Management.Automation;

namespace PSContainer.Transformations;

/// <summary>
/// Lets an enum parameter take the names Docker users type, with dashes: <c>-Format oci-archive</c> for
/// OciArchive. A name that matches nothing is refused with the accepted forms.
/// </summary>
public sealed class EnumNameTransformationAttribute : ArgumentTransformationAttribute
{
    private readonly Type _enum;

    /// <summary>Transforms names to values of <paramref name="enumType"/>.</summary>
    public EnumNameTransformationAttribute(Type enumType) => _enum = enumType;

    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if ((inputData is PSObject pso ? pso.BaseObject : inputData) is not string text) return inputData;
        var squeezed = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (Enum.TryParse(_enum, squeezed, ignoreCase: true, out var value) && Enum.IsDefined(_enum, value!)) return value!;
        var forms = Enum.GetNames(_enum).Select(n => n + " (" + Dashed(n) + ")");
        throw new ArgumentTransformationMetadataException($"'{text}' is not one of: {string.Join(", ", forms)}.");
    }

    private static string Dashed(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
