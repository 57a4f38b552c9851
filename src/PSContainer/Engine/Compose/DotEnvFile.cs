using System.Text;

namespace PSContainer.Engine.Compose;

/// <summary>
/// Reads env files as Compose does (<c>.env</c>, <c>-EnvFile</c>, a service's <c>env_file</c>): <c>KEY=VALUE</c>
/// lines, an optional <c>export</c>, comments, single quotes taken literally, double quotes with escapes, inline
/// comments after unquoted values, and <c>${VAR}</c> substitution from earlier lines and the environment.
/// </summary>
internal static class DotEnvFile
{
    public static YamlMap Read(string path, Func<string, string?> lookup)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EngineException("ComposeEnvFileUnreadable", EngineErrorKind.NotFound, $"Cannot read env file {path}: {ex.Message}", path, ex);
        }
        return Parse(text, path, lookup);
    }

    public static YamlMap Parse(string text, string source, Func<string, string?> lookup)
    {
        var values = new YamlMap();
        string? Lookup(string name) => values.TryGetValue(name, out var v) ? v as string : lookup(name);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var eq = line.IndexOf('=');
            var key = (eq < 0 ? line : line[..eq]).Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
                throw ComposeErrors.Invalid(source, $"line {n + 1}: '{lines[n]}' is not KEY=VALUE.");
            if (eq < 0)
            {
                // A bare name takes its value from the environment, or stays unset.
                if (lookup(key) is { } inherited) values[key] = inherited;
                continue;
            }
            var raw = line[(eq + 1)..].TrimStart();
            var where = $"{source} line {n + 1}";
            if (raw.StartsWith('\''))
            {
                values[key] = Quoted(lines, ref n, raw, '\'', where);
            }
            else if (raw.StartsWith('"'))
            {
                values[key] = Interpolator.Apply(Unescape(Quoted(lines, ref n, raw, '"', where)), Lookup, where);
            }
            else
            {
                var hash = raw.IndexOf(" #", StringComparison.Ordinal);
                var value = (hash >= 0 ? raw[..hash] : raw).TrimEnd();
                values[key] = Interpolator.Apply(value, Lookup, where);
            }
        }
        return values;
    }

    /// <summary>The body of a quoted value, which may run over several lines.</summary>
    private static string Quoted(string[] lines, ref int n, string raw, char quote, string where)
    {
        var body = new StringBuilder();
        var rest = raw[1..];
        while (true)
        {
            var close = FindClose(rest, quote);
            if (close >= 0)
            {
                body.Append(rest[..close]);
                return body.ToString();
            }
            body.Append(rest).Append('\n');
            if (++n >= lines.Length) throw ComposeErrors.Invalid(where, $"the value's closing {quote} is missing.");
            rest = lines[n];
        }
    }

    private static int FindClose(string text, char quote)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\') i++;
            else if (text[i] == quote) return i;
        }
        return -1;
    }

    private static string Unescape(string body)
    {
        var result = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\' || i + 1 >= body.Length)
            {
                result.Append(body[i]);
                continue;
            }
            var c = body[++i];
            result.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => c });
        }
        return result.ToString();
    }
}
