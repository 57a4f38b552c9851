namespace PSContainer.Engine.Registry;

/// <summary>Reads RFC 8288 Link headers, which registries use to page tag lists.</summary>
internal static class LinkHeader
{
    /// <summary>The target of the rel="next" link, resolved against <paramref name="current"/>, or null.</summary>
    public static Uri? Next(IEnumerable<string> headerValues, Uri current)
    {
        foreach (var value in headerValues)
        {
            var pos = 0;
            while (pos < value.Length)
            {
                var open = value.IndexOf('<', pos);
                var close = open < 0 ? -1 : value.IndexOf('>', open);
                if (close < 0)
                    break;
                var target = value[(open + 1)..close];
                var nextLink = value.IndexOf('<', close);
                var parameters = nextLink < 0 ? value[(close + 1)..] : value[(close + 1)..nextLink];
                if (HasNextRel(parameters))
                    return new Uri(current, target);
                pos = nextLink < 0 ? value.Length : nextLink;
            }
        }
        return null;
    }

    private static bool HasNextRel(string parameters)
    {
        foreach (var part in parameters.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq < 0 || !part[..eq].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
                continue;
            var rels = part[(eq + 1)..].Trim().Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (rels.Contains("next", StringComparer.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
