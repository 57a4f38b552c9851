using System.Text;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Splits the arguments of ENV, LABEL and ARG as Docker's parser does: words at blanks outside quotes,
/// quotes and escapes kept for the expansion that follows; <c>KEY=value</c> pairs, or the old
/// <c>KEY value…</c> form when the first word has no '='.
/// </summary>
internal static class KeyValueParser
{
    /// <summary>The raw (unexpanded) pairs of ENV or LABEL.</summary>
    public static List<(string Key, string Value)> Pairs(string arguments, string keyword, char escape)
    {
        var words = Words(arguments, escape);
        if (words.Count == 0) throw Invalid($"{keyword} must have two arguments");
        if (!words[0].Contains('='))
        {
            var parts = arguments.Trim().Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) throw Invalid($"{keyword} must have two arguments");
            return [(parts[0], parts[1].TrimStart())];
        }
        var pairs = new List<(string, string)>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq < 0) throw Invalid($"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            if (eq == 0) throw Invalid($"{keyword} names can not be blank");
            pairs.Add((word[..eq], word[(eq + 1)..]));
        }
        return pairs;
    }

    /// <summary>The raw declarations of ARG: a name, with a default or not.</summary>
    public static List<(string Name, string? Default)> Args(string arguments, char escape)
    {
        var result = new List<(string, string?)>();
        foreach (var word in Words(arguments, escape))
        {
            var eq = word.IndexOf('=');
            var name = eq < 0 ? word : word[..eq];
            if (name.Length == 0) throw Invalid("ARG names can not be blank");
            result.Add((name, eq < 0 ? null : word[(eq + 1)..]));
        }
        if (result.Count == 0) throw Invalid("ARG requires at least one argument");
        return result;
    }

    /// <summary>Docker's parseWords: blanks outside quotes split, quotes and escapes stay in the words.</summary>
    public static List<string> Words(string text, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var blankOk = false;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == escape && quote != '\'')
                {
                    if (i + 1 == text.Length) continue;
                    word.Append(c);
                    c = text[++i];
                }
                word.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord && (blankOk || word.Length > 0)) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                blankOk = false;
                continue;
            }
            inWord = true;
            if (c is '\'' or '"')
            {
                quote = c;
                blankOk = true;
            }
            else if (c == escape)
            {
                if (i + 1 == text.Length) continue;
                word.Append(c);
                c = text[++i];
            }
            word.Append(c);
        }
        if (inWord && (blankOk || word.Length > 0)) words.Add(word.ToString());
        return words;
    }

    private static EngineException Invalid(string message) =>
        new("DockerfileParseError", EngineErrorKind.InvalidArgument, message + ".");
}
