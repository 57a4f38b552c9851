using PSContainer.Engine.Interop;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// Checks -Ulimit requests against what this host can grant. Without CAP_SYS_RESOURCE a hard limit cannot
/// be raised, and the runtime would fail late with "setrlimit: Operation not permitted".
/// </summary>
internal static class HostLimits
{
    private static readonly Dictionary<string, int> Resources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cpu"] = 0, ["fsize"] = 1, ["data"] = 2, ["stack"] = 3, ["core"] = 4, ["rss"] = 5, ["nproc"] = 6,
        ["nofile"] = 7, ["memlock"] = 8, ["as"] = 9, ["locks"] = 10, ["sigpending"] = 11, ["msgqueue"] = 12,
        ["nice"] = 13, ["rtprio"] = 14, ["rttime"] = 15,
    };

    /// <summary>Throws when the limit is unknown, inverted, or above the host's hard limit.</summary>
    public static void Check(UlimitSetting limit)
    {
        if (!Resources.TryGetValue(limit.Name, out var resource))
            throw new EngineException("InvalidUlimit", EngineErrorKind.InvalidArgument, $"'{limit.Name}' is not a resource limit name.", limit.Name);
        if (limit.Soft > limit.Hard)
            throw new EngineException("InvalidUlimit", EngineErrorKind.InvalidArgument, $"Ulimit {limit.Name}: soft limit {limit.Soft} exceeds hard limit {limit.Hard}.", limit.Name);
        if (Libc.getrlimit(resource, out var host) == 0 && host.Max != ulong.MaxValue && limit.Hard > host.Max)
            throw new EngineException("UlimitExceedsHost", EngineErrorKind.InvalidArgument,
                $"Ulimit {limit.Name}={limit.Soft}:{limit.Hard} exceeds this host's hard limit of {host.Max}; the host cannot grant it.", limit.Name);
    }

    /// <summary>Parses Docker's <c>name=soft[:hard]</c>.</summary>
    public static UlimitSetting Parse(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2)
            throw new EngineException("InvalidUlimit", EngineErrorKind.InvalidArgument, $"Ulimit '{text}' is not of the form name=soft[:hard].", text);
        var values = parts[1].Split(':', 2);
        static ulong Value(string v, string text) => v == "-1" ? ulong.MaxValue
            : ulong.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
            : throw new EngineException("InvalidUlimit", EngineErrorKind.InvalidArgument, $"Ulimit '{text}' has a bad number '{v}'.", text);
        var soft = Value(values[0], text);
        return new UlimitSetting { Name = parts[0].ToLowerInvariant(), Soft = soft, Hard = values.Length == 2 ? Value(values[1], text) : soft };
    }
}
