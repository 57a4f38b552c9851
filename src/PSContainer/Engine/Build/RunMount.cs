using System.Globalization;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>One <c>RUN --mount=…</c>: cache, secret, tmpfs or bind, with its options.</summary>
/// <param name="Type">cache, secret, tmpfs or bind.</param>
/// <param name="Target">Where it appears in the container.</param>
/// <param name="Options">Every option as given (keys lower case, aliases folded).</param>
internal sealed record RunMount(string Type, string Target, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>Parses a --mount value; the type defaults to bind, as in Docker.</summary>
    public static RunMount Parse(string value)
    {
        var options = ParseOptions(value);
        var type = options.GetValueOrDefault("type", "bind").ToLowerInvariant();
        if (type is not ("cache" or "secret" or "tmpfs" or "bind" or "ssh"))
            throw Invalid(value, $"unknown mount type '{type}'");
        var target = options.GetValueOrDefault("target");
        if (target is null && type == "secret") target = "/run/secrets/" + (options.GetValueOrDefault("id") ?? throw Invalid(value, "a secret mount needs an id or a target"));
        if (target is null && type == "ssh") target = "/run/buildkit/ssh_agent.0";
        if (string.IsNullOrEmpty(target)) throw Invalid(value, "the mount has no target");
        if (!target.StartsWith('/')) target = "/" + target;
        return new RunMount(type, target, options);
    }

    /// <summary>The comma-separated key=value options of a --mount value; a bare key means "true".</summary>
    public static Dictionary<string, string> ParseOptions(string value)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = field.IndexOf('=');
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var val = eq < 0 ? "true" : field[(eq + 1)..].Trim().Trim('"');
            key = key switch
            {
                "dst" or "destination" => "target",
                "src" => "source",
                "ro" or "readonly" => "readonly",
                "rw" or "readwrite" => "readwrite",
                _ => key,
            };
            options[key] = val;
        }
        return options;
    }

    /// <summary>Whether the option is set to true (a bare key counts).</summary>
    public bool IsSet(string key) => Options.TryGetValue(key, out var v) && v is "true" or "1" or "";

    /// <summary>An octal mode option, or <paramref name="fallback"/>.</summary>
    public uint Mode(uint fallback) =>
        Options.TryGetValue("mode", out var text) ? Convert.ToUInt32(text, 8) : fallback;

    /// <summary>A numeric id option (uid, gid), or <paramref name="fallback"/>.</summary>
    public int Id(string key, int fallback) =>
        Options.TryGetValue(key, out var text) ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) : fallback;

    private static EngineException Invalid(string value, string why) =>
        new("DockerfileParseError", EngineErrorKind.InvalidArgument, $"Invalid --mount={value}: {why}.", value);
}
