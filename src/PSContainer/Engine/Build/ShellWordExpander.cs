using System.Text;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Docker's variable substitution for Dockerfile instructions (its shell lexer): <c>$VAR</c>, <c>${VAR}</c>,
/// <c>${VAR:-word}</c>, <c>${VAR-word}</c>, <c>${VAR:+word}</c>, <c>${VAR+word}</c>, <c>${VAR:?message}</c>,
/// <c>${VAR?message}</c>, <c>${VAR#pattern}</c>, <c>${VAR%pattern}</c> (and the greedy <c>##</c>, <c>%%</c>).
/// Single quotes keep everything literal, double quotes keep blanks, the escape character keeps the next
/// character literal; the quotes and escapes themselves are removed. Unset variables expand to nothing.
/// </summary>
internal sealed class ShellWordExpander
{
    private readonly char _escape;
    private readonly Func<string, string?> _lookup;

    /// <summary>Expands with <paramref name="lookup"/> (null for unset) and the Dockerfile's escape character.</summary>
    public ShellWordExpander(Func<string, string?> lookup, char escape = '\\')
    {
        _lookup = lookup;
        _escape = escape;
    }

    /// <summary>Expands <paramref name="word"/> into one string (blanks kept), quotes and escapes removed.</summary>
    public string ProcessWord(string word)
    {
        var reader = new Reader(word);
        var words = Process(reader, stopAt: null, split: false);
        return words.Count == 0 ? "" : words[0];
    }

    /// <summary>Expands <paramref name="text"/> and splits it into words at unquoted blanks.</summary>
    public List<string> ProcessWords(string text) => Process(new Reader(text), stopAt: null, split: true);

    /// <summary>The names of the variables <paramref name="text"/> refers to (for the cache: which build args a step uses).</summary>
    public static HashSet<string> Referenced(string text, char escape = '\\')
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var expander = new ShellWordExpander(name => { names.Add(name); return null; }, escape);
        try { expander.ProcessWords(text); }
        catch (EngineException) { }
        return names;
    }

    private List<string> Process(Reader reader, char? stopAt, bool split)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        while (!reader.End)
        {
            var c = reader.Peek();
            if (stopAt is { } stop && c == stop) break;
            reader.Next();
            if (split && c is ' ' or '\t' or '\n')
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
                continue;
            }
            inWord = true;
            if (c == _escape)
            {
                if (reader.End) { current.Append(c); break; }
                current.Append(reader.Next());
            }
            else if (c == '\'')
            {
                while (true)
                {
                    if (reader.End) throw Unterminated("single quote");
                    var q = reader.Next();
                    if (q == '\'') break;
                    current.Append(q);
                }
            }
            else if (c == '"')
            {
                ProcessDoubleQuoted(reader, current);
            }
            else if (c == '$')
            {
                current.Append(ProcessDollar(reader));
            }
            else
            {
                current.Append(c);
            }
        }
        if (inWord || !split) words.Add(current.ToString());
        return words;
    }

    private void ProcessDoubleQuoted(Reader reader, StringBuilder current)
    {
        while (true)
        {
            if (reader.End) throw Unterminated("double quote");
            var c = reader.Next();
            if (c == '"') return;
            if (c == _escape)
            {
                if (reader.End) throw Unterminated("double quote");
                var next = reader.Next();
                if (next is not ('"' or '$') && next != _escape) current.Append(c);
                current.Append(next);
            }
            else if (c == '$')
            {
                current.Append(ProcessDollar(reader));
            }
            else
            {
                current.Append(c);
            }
        }
    }

    private string ProcessDollar(Reader reader)
    {
        if (reader.End) return "$";
        if (reader.Peek() != '{')
        {
            var name = ReadName(reader);
            return name.Length == 0 ? "$" : _lookup(name) ?? "";
        }
        reader.Next();
        var variable = ReadName(reader);
        if (variable.Length == 0) throw Bad("a variable name is missing after ${");
        if (reader.End) throw Unterminated("${");
        var op = reader.Next();
        if (op == '}') return _lookup(variable) ?? "";
        var colon = false;
        if (op == ':')
        {
            colon = true;
            if (reader.End) throw Unterminated("${");
            op = reader.Next();
        }
        var greedy = false;
        if (!colon && op is '#' or '%' && !reader.End && reader.Peek() == op)
        {
            reader.Next();
            greedy = true;
        }
        var word = Process(reader, '}', split: false)[0];
        if (reader.End) throw Unterminated("${");
        reader.Next();
        var value = _lookup(variable);
        var isSet = value is not null && (!colon || value.Length > 0);
        switch (op)
        {
            case '-': return isSet ? value! : word;
            case '+': return isSet ? word : "";
            case '?':
                if (isSet) return value!;
                throw new EngineException("UnsetBuildVariable", EngineErrorKind.InvalidArgument,
                    $"{variable}: {(word.Length > 0 ? word : "is not set")}", variable);
            case '#' when !colon: return TrimPrefix(value ?? "", word, greedy);
            case '%' when !colon: return TrimSuffix(value ?? "", word, greedy);
            default: throw Bad($"unsupported modifier ({(colon ? ":" : "")}{op}) in substitution");
        }
    }

    private static string ReadName(Reader reader)
    {
        var name = new StringBuilder();
        while (!reader.End && (char.IsAsciiLetterOrDigit(reader.Peek()) || reader.Peek() == '_'))
            name.Append(reader.Next());
        return name.ToString();
    }

    private static string TrimPrefix(string value, string pattern, bool greedy)
    {
        var regex = GlobPattern.ToRegex(pattern, slashIsSeparator: false);
        var lengths = Enumerable.Range(0, value.Length + 1);
        foreach (var length in greedy ? lengths.Reverse() : lengths)
            if (regex.IsMatch(value[..length])) return value[length..];
        return value;
    }

    private static string TrimSuffix(string value, string pattern, bool greedy)
    {
        var regex = GlobPattern.ToRegex(pattern, slashIsSeparator: false);
        var starts = Enumerable.Range(0, value.Length + 1);
        foreach (var start in greedy ? starts : starts.Reverse())
            if (regex.IsMatch(value[start..])) return value[..start];
        return value;
    }

    private static EngineException Unterminated(string what) => Bad($"unterminated {what}");

    private static EngineException Bad(string message) =>
        new("DockerfileParseError", EngineErrorKind.InvalidArgument, $"Bad substitution: {message}.");

    private sealed class Reader(string text)
    {
        private int _position;
        public bool End => _position >= text.Length;
        public char Peek() => text[_position];
        public char Next() => text[_position++];
    }
}
