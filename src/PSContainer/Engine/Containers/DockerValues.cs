using System.Globalization;
using System.Text.RegularExpressions;

namespace PSContainer.Engine.Containers;

/// <summary>Values as Docker users type them: sizes ("512m", "1g") and durations ("5m", "2h", "1h30m").</summary>
internal static partial class DockerValues
{
    /// <summary>What a size may look like, for error messages.</summary>
    public const string SizeForms = "a number of bytes, a number with a unit b, k, m, g, t (powers of 1024, as docker run -m: 512m, 1g, 1.5G), or PowerShell's 512MB";

    /// <summary>What a duration may look like, for error messages.</summary>
    public const string DurationForms = "a Go duration such as 30s, 5m, 2h or 1h30m (units ns, us, ms, s, m, h)";

    /// <summary>Bytes for "512m", "1g", "1.5G", "64kb", "100" (Docker's RAMInBytes); false for anything else.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var match = SizePattern().Match(text.Trim());
        if (!match.Success) return false;
        if (!double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
        var unit = match.Groups[2].Value.ToLowerInvariant();
        var multiplier = unit.Length == 0 ? 1d : unit[0] switch
        {
            'b' => 1d,
            'k' => 1024d,
            'm' => 1024d * 1024,
            'g' => 1024d * 1024 * 1024,
            't' => 1024d * 1024 * 1024 * 1024,
            _ => 1024d * 1024 * 1024 * 1024 * 1024,
        };
        var value = number * multiplier;
        if (value > long.MaxValue) return false;
        bytes = (long)value;
        return true;
    }

    /// <summary>A span for a Go duration ("5m", "2h", "1h30m", "500ms"); false for anything else.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return false;
        var position = 0;
        foreach (Match part in DurationPart().Matches(trimmed))
        {
            if (part.Index != position) return false;
            position += part.Length;
            var number = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += part.Groups[2].Value switch
            {
                "ns" => TimeSpan.FromTicks((long)(number / 100)),
                "us" or "µs" => TimeSpan.FromTicks((long)(number * 10)),
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                _ => TimeSpan.FromHours(number),
            };
        }
        return position == trimmed.Length;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([bkmgtp]?)b?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
