namespace PSContainer.Engine.Compose;

/// <summary>
/// Merges compose files in order, by the Compose Specification's rules: mappings merge key by key, sequences
/// append, <c>command</c>, <c>entrypoint</c> and <c>healthcheck.test</c> are replaced, <c>ports</c> meet by
/// {host_ip, target, published, protocol} and <c>volumes</c> by target; <c>!reset</c> removes a value and
/// <c>!override</c> replaces it whole.
/// </summary>
internal static class ComposeMerger
{
    public static YamlMap Merge(IEnumerable<YamlMap> files)
    {
        YamlMap? result = null;
        foreach (var file in files)
            result = result is null ? file : (YamlMap)MergeValue(result, file, "")!;
        return (YamlMap)Untag(result ?? new YamlMap())!;
    }

    private static object? MergeValue(object? baseValue, object? overValue, string path)
    {
        switch (overValue)
        {
            case YamlTagged { Tag: "!reset" }:
                return overValue;
            case YamlTagged { Tag: "!override" } tagged:
                return tagged.Value;
        }
        if (baseValue is YamlTagged { Tag: "!reset" }) baseValue = null;
        if (baseValue is YamlTagged { Tag: "!override" } inner) baseValue = inner.Value;
        if (baseValue is YamlMap baseMap && overValue is YamlMap overMap)
        {
            var merged = new YamlMap(baseMap);
            foreach (var (key, value) in overMap)
            {
                var child = path.Length == 0 ? key : path + "." + key;
                merged[key] = merged.TryGetValue(key, out var existing) ? MergeValue(existing, value, child) : value;
            }
            return merged;
        }
        if (baseValue is List<object?> baseList && overValue is List<object?> overList)
        {
            if (IsServiceKey(path, "command") || IsServiceKey(path, "entrypoint") || IsServiceKey(path, "healthcheck.test"))
                return overList;
            if (IsServiceKey(path, "ports")) return MergeUnique(baseList, overList, PortKey);
            if (IsServiceKey(path, "volumes")) return MergeUnique(baseList, overList, m => m.GetValueOrDefault("target") as string);
            return baseList.Concat(overList).ToList();
        }
        return overValue;
    }

    private static List<object?> MergeUnique(List<object?> baseList, List<object?> overList, Func<YamlMap, string?> keyOf)
    {
        var merged = baseList.ToList();
        foreach (var item in overList)
        {
            var key = item is YamlMap map ? keyOf(map) : null;
            var index = key is null ? -1 : merged.FindIndex(m => m is YamlMap existing && keyOf(existing) == key);
            if (index < 0) merged.Add(item);
            else merged[index] = MergeValue(merged[index], item, "");
        }
        return merged;
    }

    private static string PortKey(YamlMap port) =>
        $"{port.GetValueOrDefault("host_ip")}|{port.GetValueOrDefault("target")}|{port.GetValueOrDefault("published")}|{port.GetValueOrDefault("protocol") ?? "tcp"}";

    /// <summary>Whether <paramref name="path"/> is services.&lt;name&gt;.<paramref name="key"/>.</summary>
    private static bool IsServiceKey(string path, string key)
    {
        if (!path.StartsWith("services.", StringComparison.Ordinal)) return false;
        var rest = path["services.".Length..];
        var dot = rest.IndexOf('.');
        return dot > 0 && rest[(dot + 1)..] == key;
    }

    /// <summary>Drops what <c>!reset</c> removed and unwraps the other tags.</summary>
    private static object? Untag(object? value) => value switch
    {
        YamlTagged { Tag: "!reset" } => null,
        YamlTagged tagged => Untag(tagged.Value),
        YamlMap map => new YamlMap(map.Where(p => p.Value is not YamlTagged { Tag: "!reset" }).Select(p => KeyValuePair.Create(p.Key, Untag(p.Value)))),
        List<object?> list => list.Where(v => v is not YamlTagged { Tag: "!reset" }).Select(Untag).ToList(),
        _ => value,
    };
}
