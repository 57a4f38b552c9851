using System.Globalization;
using System.Text.RegularExpressions;

namespace PSContainer.Engine.Oci;

/// <summary>
/// Go's time.ParseDuration ("1m30s", "500ms", "1.5h"): the form of every duration Docker's formats and
/// options carry (HEALTHCHECK, compose files, --since, --health-interval).
/// </summary>
internal static partial class GoDuration
{
    [GeneratedRegex(@"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();

    /// <summary>Parses <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        if (text == "0") return true;
        var position = 0;
        double total = 0;
        foreach (Match match in Part().Matches(text))
        {
            if (match.Index != position) return false;
            position += match.Length;
            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += value * match.Groups[2].Value switch
            {
                "ns" => 1, "us" or "µs" => 1e3, "ms" => 1e6, "s" => 1e9, "m" => 60e9, _ => 3600e9,
            };
        }
        if (position == 0 || position != text.Length) return false;
        nanoseconds = (long)Math.Round(total);
        return true;
    }

    /// <summary>Parses <paramref name="text"/> to a span (100 ns ticks); false when it is not a duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        var parsed = TryParse(text, out long nanoseconds);
        duration = TimeSpan.FromTicks(nanoseconds / 100);
        return parsed;
    }
}
