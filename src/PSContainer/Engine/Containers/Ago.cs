namespace PSContainer.Engine.Containers;

/// <summary>Human durations as Docker prints them ("5 minutes", "About an hour").</summary>
internal static class Ago
{
    /// <summary>Formats a duration the way <c>docker ps</c> does.</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = Math.Max(0, (long)span.TotalSeconds);
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = seconds / 60;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (long)Math.Round(span.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 14) return $"{hours / 24} days";
        if (hours < 24 * 60) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{hours / 24 / 365} years";
    }
}
