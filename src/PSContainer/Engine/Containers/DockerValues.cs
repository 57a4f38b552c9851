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

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*([bkmgtp]?)b?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

}
