using System.Collections;
using System.Management.Automation;

namespace PSContainer.Transformations;

/// <summary>Lets a string[] of "key=value" also take a hashtable: <c>-Environment @{ A = 1 }</c>.</summary>
public sealed class KeyValueTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is IDictionary dictionary)
        {
            var list = new List<string>();
            foreach (DictionaryEntry entry in dictionary)
                list.Add($"{entry.Key}={LanguagePrimitives.ConvertTo<string>(entry.Value)}");
            return list.ToArray();
        }
        return inputData;
    }
}
