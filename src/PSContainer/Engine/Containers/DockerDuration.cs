using System.Globalization;
using PSContainer.Engine.Oci;

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
        return GoDuration.TryParse(s, out TimeSpan duration) ? Check(duration, text, what) : throw Invalid(text, what);
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
