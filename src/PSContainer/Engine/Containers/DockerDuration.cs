using System.Globalization;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Durations as Docker writes them (Go's time.ParseDuration): "30s", "1m30s", "1.5h", "250ms"; also a TimeSpan
/// string ("00:01:30"). Formatting writes Docker's shortest form.
/// </summary>
internal static class DockerDuration
{
    /// <summary>Parses <paramref name="text"/>; throws an InvalidDuration error naming <paramref name="what"/>.</summary>
    public static TimeSpan Parse(string text, string what)
    {
        var s = text.Trim();
        if (s.Contains(':') && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span)) return Check(span, text, what);
        if (s is "0") return TimeSpan.Zero;
        var total = 0.0;
        var i = 0;
        if (s.Length == 0) throw Invalid(text, what);
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                throw Invalid(text, what);
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            total += s[unitStart..i] switch
            {
                "ns" => number / 1_000_000,
                "us" or "µs" => number / 1000,
                "ms" => number,
                "s" => number * 1000,
                "m" => number * 60_000,
                "h" => number * 3_600_000,
                _ => throw Invalid(text, what),
            };
        }
        return Check(TimeSpan.FromMilliseconds(total), text, what);
    }

    /// <summary>Docker's form: "1m30s", "500ms", "0s".</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero) return "0s";
        if (value < TimeSpan.FromSeconds(1)) return ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var text = "";
        if (value.TotalHours >= 1) text += ((long)value.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";
        if (value.Minutes > 0) text += value.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        var seconds = value.Seconds + value.Milliseconds / 1000.0;
        if (seconds > 0 || text.Length == 0) text += seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return text;
    }

    private static TimeSpan Check(TimeSpan value, string text, string what) =>
        value < TimeSpan.Zero ? throw Invalid(text, what) : value;

    private static EngineException Invalid(string text, string what) =>
        new("InvalidDuration", EngineErrorKind.InvalidArgument,
            $"{what} '{text}' is not a duration: write it as Docker does (30s, 1m30s, 500ms, 1h) or as a TimeSpan.", text);
}
