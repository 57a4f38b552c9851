using System.Globalization;
using System.Text.Json;

namespace PSContainer.Api;

/// <summary>Query parameters as the Docker API writes them: booleans as 1/true, filters as JSON.</summary>
internal static class Query
{
    public static string? String(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var value) && value.Count > 0 && !string.IsNullOrEmpty(value[^1]) ? value[^1] : null;

    public static bool Bool(HttpContext context, string name, bool defaultValue = false) => String(context, name) switch
    {
        null => defaultValue,
        "1" or "true" or "True" or "TRUE" => true,
        "0" or "false" or "False" or "FALSE" => false,
        var other => throw ApiException.BadRequest($"invalid boolean for {name}: {other}"),
    };

    public static long? Long(HttpContext context, string name) => String(context, name) is { } text
        ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw ApiException.BadRequest($"invalid integer for {name}: {text}")
        : null;

    /// <summary>
    /// A time parameter (since/until): Unix seconds with an optional fraction, or an RFC 3339 time.
    /// </summary>
    public static DateTimeOffset? Time(HttpContext context, string name)
    {
        if (String(context, name) is not { } text) return null;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds == 0 ? null : DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        throw ApiException.BadRequest($"invalid time for {name}: {text}");
    }

    /// <summary>
    /// The <c>filters</c> parameter: <c>{"label":["a=b"]}</c>, or the older <c>{"label":{"a=b":true}}</c>.
    /// </summary>
    public static Dictionary<string, List<string>> Filters(HttpContext context)
    {
        var filters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (String(context, "filters") is not { } text) return filters;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest("filters must be a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var values = filters[property.Name] = new List<string>();
                if (property.Value.ValueKind == JsonValueKind.Array)
                    values.AddRange(property.Value.EnumerateArray().Select(v => v.GetString() ?? ""));
                else if (property.Value.ValueKind == JsonValueKind.Object)
                    values.AddRange(property.Value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.False).Select(p => p.Name));
                else
                    throw ApiException.BadRequest($"invalid filter '{property.Name}'");
            }
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest($"invalid filters: {ex.Message}");
        }
        return filters;
    }

    /// <summary>Refuses filters the endpoint does not know, as dockerd does.</summary>
    public static void CheckFilters(Dictionary<string, List<string>> filters, params string[] known)
    {
        foreach (var name in filters.Keys)
            if (!known.Contains(name)) throw ApiException.BadRequest($"invalid filter '{name}'");
    }

    /// <summary>Whether labels match every <c>key</c> or <c>key=value</c> filter.</summary>
    public static bool LabelsMatch(IReadOnlyDictionary<string, string> labels, IEnumerable<string> wanted) =>
        wanted.All(w => w.IndexOf('=') is var eq and > 0
            ? labels.TryGetValue(w[..eq], out var v) && v == w[(eq + 1)..]
            : labels.ContainsKey(w));
}
