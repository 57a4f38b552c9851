using System.Globalization;
using PSContainer.Engine.Oci;
using System.Text;
using PSContainer.Engine.Volumes;

namespace PSContainer.Engine.Compose;

/// <summary>Typed reads of merged YAML values; every failure names the value's path.</summary>
internal static class ComposeValues
{
    public static string? Text(object? value, string path) => value switch
    {
        null => null,
        string s => s,
        _ => throw ComposeErrors.InvalidValue(path, "must be a single value, not a list or mapping."),
    };

    public static bool? Bool(object? value, string path) => Text(value, path)?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var other => throw ComposeErrors.InvalidValue(path, $"'{other}' is not true or false."),
    };

    public static long? Long(object? value, string path)
    {
        var text = Text(value, path);
        if (text is null) return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : throw ComposeErrors.InvalidValue(path, $"'{text}' is not a whole number.");
    }

    public static int? Int(object? value, string path) => Long(value, path) is { } n
        ? n is >= int.MinValue and <= int.MaxValue ? (int)n : throw ComposeErrors.InvalidValue(path, $"{n} is out of range.")
        : null;

    public static double? Double(object? value, string path)
    {
        var text = Text(value, path);
        if (text is null) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n
            : throw ComposeErrors.InvalidValue(path, $"'{text}' is not a positive number.");
    }

    /// <summary>A byte size: a number of bytes or "512m", "1g", "64MB" as Compose reads them.</summary>
    public static long? Size(object? value, string path)
    {
        var text = Text(value, path);
        if (text is null) return null;
        try
        {
            return MountParser.ParseSize(text, path);
        }
        catch (EngineException ex)
        {
            throw ComposeErrors.InvalidValue(path, ex.Message);
        }
    }

    /// <summary>A Go duration ("1m30s", "500ms", "10s") normalized to Go's spelling.</summary>
    public static string? Duration(object? value, string path)
    {
        var text = Text(value, path);
        return text is null ? null : FormatDuration(ParseDuration(text, path));
    }

    public static TimeSpan ParseDuration(string text, string path)
    {
        if (text.Length == 0) throw ComposeErrors.InvalidValue(path, "a duration must not be empty.");
        return GoDuration.TryParse(text, out TimeSpan duration) ? duration
            : throw ComposeErrors.InvalidValue(path, $"'{text}' is not a duration such as 30s, 1m30s or 500ms.");
    }

    public static string FormatDuration(TimeSpan span)
    {
        if (span == TimeSpan.Zero) return "0s";
        var text = new StringBuilder();
        if (span.TotalHours >= 1) text.Append((long)span.TotalHours).Append('h');
        if (span.Minutes > 0 || (text.Length > 0 && (span.Seconds > 0 || span.Milliseconds > 0))) text.Append(span.Minutes).Append('m');
        var seconds = span.Seconds + span.Milliseconds / 1000.0 + span.Microseconds / 1e6;
        if (seconds > 0 || text.Length == 0)
        {
            if (text.Length == 0 && seconds < 1) return span.Milliseconds > 0 && span.Microseconds == 0 ? span.Milliseconds + "ms" : (span.Ticks / 10) + "us";
            text.Append(seconds.ToString("0.######", CultureInfo.InvariantCulture)).Append('s');
        }
        return text.ToString();
    }

    /// <summary>A single string or a list of strings.</summary>
    public static List<string>? Strings(object? value, string path) => value switch
    {
        null => null,
        string s => [s],
        List<object?> list => list.Select((v, i) => Text(v, $"{path}[{i}]") ?? throw ComposeErrors.InvalidValue($"{path}[{i}]", "must not be empty.")).ToList(),
        _ => throw ComposeErrors.InvalidValue(path, "must be a string or a list of strings."),
    };

    /// <summary>A command: a list taken as it is, a string split as a shell would.</summary>
    public static List<string>? Command(object? value, string path) => value switch
    {
        null => null,
        string s => ShellWords.Split(s, path),
        _ => Strings(value, path),
    };

    public static YamlMap? Map(object? value, string path) => value switch
    {
        null => null,
        YamlMap map => map,
        _ => throw ComposeErrors.InvalidValue(path, "must be a mapping."),
    };

    /// <summary>A map of text values; null values stay null when <paramref name="keepNull"/>, else become "".</summary>
    public static SortedDictionary<string, string?>? TextMap(object? value, string path, bool keepNull)
    {
        var map = Map(value, path);
        if (map is null) return null;
        var result = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, item) in map)
            result[key] = Text(item, $"{path}.{key}") ?? (keepNull ? null : "");
        return result;
    }

    /// <summary>Checks that <paramref name="map"/> has only keys of <paramref name="allowed"/> (and x- extensions).</summary>
    public static void Known(YamlMap? map, HashSet<string> allowed, string path, List<string> unknown)
    {
        if (map is null) return;
        foreach (var key in map.Keys)
            if (!allowed.Contains(key) && !key.StartsWith("x-", StringComparison.Ordinal))
                unknown.Add(path.Length == 0 ? key : $"{path}.{key}");
    }
}
