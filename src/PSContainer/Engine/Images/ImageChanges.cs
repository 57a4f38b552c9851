using System.Text.Json;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Images;

/// <summary>
/// Applies Dockerfile-style changes (<c>docker import --change</c>): CMD, ENTRYPOINT, ENV, WORKDIR, USER,
/// LABEL, EXPOSE, VOLUME and STOPSIGNAL.
/// </summary>
internal static class ImageChanges
{
    /// <summary>Applies each change in order to <paramref name="config"/>.</summary>
    public static void Apply(OciRunConfig config, IEnumerable<string> changes)
    {
        foreach (var change in changes)
        {
            var trimmed = change.Trim();
            var space = trimmed.IndexOfAny([' ', '\t']);
            var instruction = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
            var argument = space < 0 ? "" : trimmed[(space + 1)..].Trim();
            if (argument.Length == 0) throw Invalid(change, "it has no value");
            switch (instruction)
            {
                case "CMD": config.Cmd = CommandForm(argument, change); break;
                case "ENTRYPOINT": config.Entrypoint = CommandForm(argument, change); break;
                case "WORKDIR": config.WorkingDir = argument; break;
                case "USER": config.User = argument; break;
                case "STOPSIGNAL": config.StopSignal = argument; break;
                case "ENV":
                    config.Env ??= new List<string>();
                    foreach (var (key, value) in Pairs(argument, change))
                        EnvironmentList.Set(config.Env, key + "=" + value);
                    break;
                case "LABEL":
                    config.Labels ??= new Dictionary<string, string>();
                    foreach (var (key, value) in Pairs(argument, change)) config.Labels[key] = value;
                    break;
                case "EXPOSE":
                    config.ExposedPorts ??= new Dictionary<string, object>();
                    foreach (var port in argument.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        config.ExposedPorts[port.Contains('/') ? port : port + "/tcp"] = new Dictionary<string, object>();
                    break;
                case "VOLUME":
                    config.Volumes ??= new Dictionary<string, object>();
                    foreach (var path in argument.StartsWith('[') ? CommandForm(argument, change) : argument.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList())
                        config.Volumes[path] = new Dictionary<string, object>();
                    break;
                default:
                    throw Invalid(change, $"'{instruction}' is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR");
            }
        }
    }

    // JSON form is exec form; anything else runs through /bin/sh -c, as in a Dockerfile.
    private static List<string> CommandForm(string argument, string change)
    {
        if (!argument.StartsWith('[')) return ["/bin/sh", "-c", argument];
        try
        {
            return JsonSerializer.Deserialize(argument, ImageChangesJson.Default.ListString) ?? throw Invalid(change, "empty JSON array");
        }
        catch (JsonException)
        {
            throw Invalid(change, "the JSON array is malformed");
        }
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string argument, string change)
    {
        var firstWord = argument.Split([' ', '\t'], 2)[0];
        if (!firstWord.Contains('='))
        {
            // Legacy form: ENV key value
            var parts = argument.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2) throw Invalid(change, "expected key=value");
            yield return (parts[0], parts[1]);
            yield break;
        }
        foreach (var token in Tokens(argument))
        {
            var eq = token.IndexOf('=');
            if (eq <= 0) throw Invalid(change, $"'{token}' is not key=value");
            yield return (token[..eq], token[(eq + 1)..]);
        }
    }

    // Splits on blanks outside quotes (single or double) and drops the quotes.
    private static IEnumerable<string> Tokens(string text)
    {
        var current = new System.Text.StringBuilder();
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is null && c is '"' or '\'') { quote = c; continue; }
            if (c == quote) { quote = null; continue; }
            if (quote is null && char.IsWhiteSpace(c))
            {
                if (current.Length > 0) { yield return current.ToString(); current.Clear(); }
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    private static EngineException Invalid(string change, string why) =>
        new("InvalidImageChange", EngineErrorKind.InvalidArgument, $"Invalid change '{change}': {why}.", change);
}
