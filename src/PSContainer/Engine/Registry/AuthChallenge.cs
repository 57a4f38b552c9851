namespace PSContainer.Engine.Registry;

/// <summary>One challenge from a WWW-Authenticate header: a scheme and its parameters.</summary>
internal sealed class AuthChallenge
{
    /// <summary>Creates a challenge.</summary>
    public AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    /// <summary>"Bearer" or "Basic" (compare case-insensitively).</summary>
    public string Scheme { get; }

    /// <summary>The auth-params, keys lowercased.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Whether this is a Bearer (token) challenge.</summary>
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this is a Basic challenge.</summary>
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>The token server URL.</summary>
    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>The service name to ask the token server for.</summary>
    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The scope the registry wants, such as "repository:app:pull".</summary>
    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>
    /// Parses one WWW-Authenticate header value, which may hold several challenges. Parameter values may be
    /// quoted and contain commas ("pull,push"), so a new challenge is recognized by a token not followed by '='.
    /// </summary>
    public static IReadOnlyList<AuthChallenge> Parse(string header)
    {
        var result = new List<AuthChallenge>();
        var pos = 0;
        while (true)
        {
            SkipSeparators(header, ref pos);
            var scheme = ReadToken(header, ref pos);
            if (scheme.Length == 0)
                return result;
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            while (true)
            {
                SkipSeparators(header, ref pos);
                var start = pos;
                var name = ReadToken(header, ref pos);
                SkipWhitespace(header, ref pos);
                if (name.Length == 0 || pos >= header.Length || header[pos] != '=')
                {
                    pos = start;
                    break;
                }
                pos++;
                SkipWhitespace(header, ref pos);
                parameters[name.ToLowerInvariant()] = pos < header.Length && header[pos] == '"'
                    ? ReadQuoted(header, ref pos)
                    : ReadUnquoted(header, ref pos);
            }
            result.Add(new AuthChallenge(scheme, parameters));
        }
    }

    private static void SkipWhitespace(string s, ref int pos)
    {
        while (pos < s.Length && s[pos] is ' ' or '\t')
            pos++;
    }

    private static void SkipSeparators(string s, ref int pos)
    {
        while (pos < s.Length && s[pos] is ' ' or '\t' or ',')
            pos++;
    }

    private static string ReadToken(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && s[pos] is not (' ' or '\t' or ',' or '=' or '"'))
            pos++;
        return s[start..pos];
    }

    // Lenient: servers put unquoted URLs with '=' in them.
    private static string ReadUnquoted(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && s[pos] is not (' ' or '\t' or ','))
            pos++;
        return s[start..pos];
    }

    private static string ReadQuoted(string s, ref int pos)
    {
        var value = new System.Text.StringBuilder();
        pos++;
        while (pos < s.Length && s[pos] != '"')
        {
            if (s[pos] == '\\' && pos + 1 < s.Length)
                pos++;
            value.Append(s[pos++]);
        }
        pos++;
        return value.ToString();
    }
}
