using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PSContainer.Engine.Compose;

/// <summary>
/// Reads a YAML document into plain values: mappings become <see cref="YamlMap"/>, sequences
/// <c>List&lt;object?&gt;</c>, scalars strings, nulls null. Anchors, aliases and merge keys (<c>&lt;&lt;: *x</c>)
/// are resolved here; Compose's <c>!reset</c> and <c>!override</c> tags survive as
/// <see cref="YamlTagged"/> for the merge.
/// </summary>
internal static class YamlTree
{
    public static YamlMap Load(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw ComposeErrors.Invalid(file, $"line {ex.Start.Line}, column {ex.Start.Column}: {Innermost(ex).Message}");
        }
        if (stream.Documents.Count == 0) return new YamlMap();
        if (stream.Documents.Count > 1) throw ComposeErrors.Invalid(file, "a compose file holds one YAML document, not several.");
        return Convert(stream.Documents[0].RootNode, file, "") as YamlMap
            ?? throw ComposeErrors.Invalid(file, "the top level must be a mapping (services:, networks:, …).");
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    private static object? Convert(YamlNode node, string file, string path)
    {
        var tag = TagOf(node);
        object? value = node switch
        {
            YamlMappingNode map => ConvertMap(map, file, path),
            YamlSequenceNode seq => seq.Children.Select((c, i) => Convert(c, file, $"{path}[{i}]")).ToList(),
            YamlScalarNode scalar => Scalar(scalar),
            _ => null,
        };
        return tag is "!reset" or "!override" ? new YamlTagged(tag, value) : value;
    }

    /// <summary>
    /// A mapping; a merge key (<c>&lt;&lt;: *x</c> or <c>&lt;&lt;: [*x, *y]</c>) adds the keys the mapping does not
    /// set itself, earlier sources first, as YAML's merge key type says.
    /// </summary>
    private static YamlMap ConvertMap(YamlMappingNode map, string file, string path)
    {
        var result = new YamlMap();
        var merged = new List<YamlNode>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw ComposeErrors.Invalid(file, $"{Display(path)}: a mapping key must be a plain value.");
            if (key == "<<" && keyNode is YamlScalarNode { Style: ScalarStyle.Plain })
            {
                merged.Add(valueNode);
                continue;
            }
            var child = path.Length == 0 ? key : path + "." + key;
            if (!result.TryAdd(key, Convert(valueNode, file, child)))
                throw ComposeErrors.Invalid(file, $"{Display(path)}: the key '{key}' appears twice.");
        }
        foreach (var source in merged.SelectMany(m => m is YamlSequenceNode list ? list.Children : [m]))
        {
            if (source is not YamlMappingNode)
                throw ComposeErrors.Invalid(file, $"{Display(path)}: a merge key (<<) takes a mapping or a list of mappings.");
            foreach (var (key, value) in ConvertMap((YamlMappingNode)source, file, path))
                result.TryAdd(key, value);
        }
        return result;
    }

    private static string? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tag = TagOf(scalar);
        if (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && tag is null && text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        return tag is "tag:yaml.org,2002:null" or "!!null" ? null : text;
    }

    /// <summary>The node's explicit tag, or null for none ("?" and "!" are the parser's non-specific tags).</summary>
    private static string? TagOf(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? null : node.Tag.Value;

    private static string Display(string path) => path.Length == 0 ? "top level" : path;
}

/// <summary>A YAML mapping that keeps its keys in file order.</summary>
internal sealed class YamlMap : OrderedDictionary<string, object?>
{
    public YamlMap() : base(StringComparer.Ordinal) { }

    public YamlMap(IEnumerable<KeyValuePair<string, object?>> items) : base(StringComparer.Ordinal)
    {
        foreach (var (key, value) in items) this[key] = value;
    }
}

/// <summary>A value with Compose's merge tag: <c>!reset</c> removes the inherited value, <c>!override</c> replaces it whole.</summary>
internal sealed record YamlTagged(string Tag, object? Value);
