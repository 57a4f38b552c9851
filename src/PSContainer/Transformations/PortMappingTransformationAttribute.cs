using System.Collections;
using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Networks;

namespace PSContainer.Transformations;

/// <summary>
/// Lets a PortMapping[] parameter take Docker's -p strings ("8080:80", "127.0.0.1:8080:80/udp", "80",
/// "8000-8001:80-81"), bare port numbers, or PortMapping objects (such as another container's Ports).
/// </summary>
public sealed class PortMappingTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        var items = value is IEnumerable and not string ? ((IEnumerable)value).Cast<object?>() : [value];
        var list = new List<PortMapping>();
        foreach (var item in items)
        {
            switch (item is PSObject p ? p.BaseObject : item)
            {
                case PortMapping mapping:
                    list.Add(mapping);
                    break;
                case null:
                    throw new ArgumentTransformationMetadataException("A port mapping cannot be null.");
                case var other:
                    try
                    {
                        list.AddRange(PortMapping.Parse(LanguagePrimitives.ConvertTo<string>(other)));
                    }
                    catch (EngineException ex)
                    {
                        throw new ArgumentTransformationMetadataException(ex.Message, ex);
                    }
                    break;
            }
        }
        return list.ToArray();
    }
}
