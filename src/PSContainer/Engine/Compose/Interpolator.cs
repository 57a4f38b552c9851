using System.Text;

namespace PSContainer.Engine.Compose;

/// <summary>
/// Compose's variable substitution: <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c> (unset or empty),
/// <c>${VAR-default}</c> (unset), <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>${VAR:+replacement}</c>,
/// <c>${VAR+replacement}</c>, and <c>$$</c> for a literal dollar. Defaults and messages are substituted too,
/// so defaults nest (<c>${A:-${B}}</c>).
/// </summary>
internal static class Interpolator
{
    /// <summary>Substitutes <paramref name="text"/>; <paramref name="path"/> names the value in errors.</summary>
    public static string Apply(string text, Func<string, string?> lookup, string path)
    {
        if (!text.Contains('$')) return text;
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$')
            {
                result.Append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.Length) throw Invalid(text, path);
            var next = text[i + 1];
            if (next == '$')
            {
                result.Append('$');
                i += 2;
            }
            else if (next == '{')
            {
                var close = ClosingBrace(text, i + 2) ?? throw Invalid(text, path);
                result.Append(Braced(text[(i + 2)..close], lookup, path, text));
                i = close + 1;
            }
            else if (IsNameStart(next))
            {
                var end = i + 1;
                while (end < text.Length && IsNamePart(text[end])) end++;
                result.Append(lookup(text[(i + 1)..end]) ?? "");
                i = end;
            }
            else
            {
                throw Invalid(text, path);
            }
        }
        return result.ToString();
    }

    private static string Braced(string inner, Func<string, string?> lookup, string path, string whole)
    {
        var end = 0;
        while (end < inner.Length && IsNamePart(inner[end])) end++;
        if (end == 0 || !IsNameStart(inner[0])) throw Invalid(whole, path);
        var name = inner[..end];
        var value = lookup(name);
        if (end == inner.Length) return value ?? "";

        var colon = inner[end] == ':';
        var opIndex = colon ? end + 1 : end;
        if (opIndex >= inner.Length) throw Invalid(whole, path);
        var op = inner[opIndex];
        var argument = inner[(opIndex + 1)..];
        // With ':' an empty value counts as unset.
        var isSet = colon ? !string.IsNullOrEmpty(value) : value is not null;
        switch (op)
        {
            case '-':
                return isSet ? value! : Apply(argument, lookup, path);
            case '+':
                return isSet ? Apply(argument, lookup, path) : "";
            case '?':
                if (isSet) return value!;
                var message = Apply(argument, lookup, path);
                throw ComposeErrors.Interpolation(path, $"required variable {name} is missing a value" + (message.Length > 0 ? ": " + message : "."));
            default:
                throw Invalid(whole, path);
        }
    }

    /// <summary>The index of the '}' that closes a '${' whose body starts at <paramref name="start"/>, skipping nested ones.</summary>
    private static int? ClosingBrace(string text, int start)
    {
        var depth = 1;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i;
            }
        }
        return null;
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsNamePart(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

    private static EngineException Invalid(string text, string path) =>
        ComposeErrors.Interpolation(path, $"invalid interpolation format in \"{text}\"; write $$ for a literal dollar sign.");
}
