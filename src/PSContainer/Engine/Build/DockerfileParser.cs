using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Parses Dockerfiles (and Containerfiles) as Docker's parser does: parser directives at the top
/// (<c># escape=</c>; <c># syntax=</c> and <c># check=</c> are accepted and ignored), comments, line
/// continuations (comment and blank lines inside one are skipped), flags, JSON (exec) forms, heredocs for
/// RUN, COPY and ADD, and keywords in any case. Variables are left for the builder, which knows their values.
/// </summary>
internal static partial class DockerfileParser
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
        "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    };

    private static readonly HashSet<string> JsonCapable = new(StringComparer.Ordinal)
        { "ADD", "CMD", "COPY", "ENTRYPOINT", "RUN", "SHELL", "VOLUME" };

    private static readonly HashSet<string> HeredocCapable = new(StringComparer.Ordinal) { "ADD", "COPY", "RUN" };

    [GeneratedRegex(@"^#[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(.*?)[ \t]*$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"<<(-?)(?:""([^""\s]+)""|'([^'\s]+)'|([A-Za-z0-9_.-]+))")]
    private static partial Regex HeredocPattern();

    /// <summary>Parses <paramref name="text"/>; <paramref name="path"/> names the file in errors.</summary>
    public static Dockerfile Parse(string text, string path)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length > 0 && lines[0].StartsWith('\uFEFF')) lines[0] = lines[0][1..];
        var escape = '\\';
        var index = ReadDirectives(lines, path, ref escape);
        var instructions = new List<DockerfileInstruction>();
        while (index < lines.Length)
        {
            var instruction = ReadInstruction(lines, ref index, escape, path);
            if (instruction is not null) instructions.Add(instruction);
        }
        return Group(instructions, path, escape);
    }

    /// <summary>Parses one instruction on its own (an ONBUILD trigger); it may not be FROM, ONBUILD or MAINTAINER.</summary>
    public static DockerfileInstruction ParseTrigger(string text, string path, int line, char escape)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var index = 0;
        var instruction = (ReadInstruction(lines, ref index, escape, path) ?? throw Error(path, line, "ONBUILD needs an instruction")) with { Line = line };
        if (instruction.Keyword is "ONBUILD" or "FROM" or "MAINTAINER")
            throw Error(path, line, $"{instruction.Keyword} isn't allowed as an ONBUILD trigger");
        return instruction;
    }

    /// <summary>The error for a problem at <paramref name="line"/> of <paramref name="path"/>.</summary>
    public static EngineException Error(string path, int line, string message) =>
        new("DockerfileParseError", EngineErrorKind.InvalidArgument, $"{path}:{line}: {message}.", $"{path}:{line}");

    private static int ReadDirectives(string[] lines, string path, ref char escape)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        for (; index < lines.Length; index++)
        {
            var match = DirectivePattern().Match(lines[index]);
            if (!match.Success) break;
            var name = match.Groups[1].Value.ToLowerInvariant();
            if (name is not ("escape" or "syntax" or "check")) break;
            if (!seen.Add(name)) throw Error(path, index + 1, $"only one {name} parser directive can be used");
            if (name == "escape")
            {
                var value = match.Groups[2].Value;
                if (value is not ("\\" or "`")) throw Error(path, index + 1, $"invalid escape token '{value}' does not match ` or \\");
                escape = value[0];
            }
        }
        return index;
    }

    private static DockerfileInstruction? ReadInstruction(string[] lines, ref int index, char escape, string path)
    {
        // Blank lines and comments between instructions.
        while (index < lines.Length && IsBlankOrComment(lines[index])) index++;
        if (index >= lines.Length) return null;
        var start = index;
        var logical = new StringBuilder();
        var first = true;
        while (index < lines.Length)
        {
            var raw = lines[index++];
            if (!first && IsBlankOrComment(raw)) continue;
            var text = first ? raw.TrimStart() : raw;
            first = false;
            var trimmed = text.TrimEnd();
            if (trimmed.Length > 0 && trimmed[^1] == escape && !EndsWithEscapedEscape(trimmed, escape))
            {
                logical.Append(trimmed, 0, trimmed.Length - 1);
                continue;
            }
            logical.Append(text);
            goto complete;
        }
    complete:
        var line = logical.ToString().Trim();
        var split = line.IndexOfAny([' ', '\t']);
        var keyword = (split < 0 ? line : line[..split]).ToUpperInvariant();
        var rest = split < 0 ? "" : line[(split + 1)..].TrimStart();
        if (!Keywords.Contains(keyword)) throw Error(path, start + 1, $"unknown instruction: {(split < 0 ? line : line[..split])}");
        var flags = new List<BuildFlag>();
        if (keyword != "ONBUILD") rest = ExtractFlags(rest, flags, path, start + 1);
        var heredocs = new List<Heredoc>();
        if (HeredocCapable.Contains(keyword) && !rest.StartsWith('['))
            ReadHeredocs(rest, lines, ref index, heredocs, path, start + 1);
        IReadOnlyList<string>? execForm = JsonCapable.Contains(keyword) ? TryJsonArray(rest) : null;
        if (keyword == "HEALTHCHECK")
        {
            var words = rest.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 2 && words[0].Equals("CMD", StringComparison.OrdinalIgnoreCase)) execForm = TryJsonArray(words[1].Trim());
        }
        if (rest.Length == 0 && keyword is not ("CMD" or "ENTRYPOINT") && heredocs.Count == 0)
            throw Error(path, start + 1, $"{keyword} requires at least one argument");
        return new DockerfileInstruction(keyword, flags, rest, execForm, heredocs, start + 1, line);
    }

    private static bool IsBlankOrComment(string raw)
    {
        var trimmed = raw.TrimStart();
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    // "RUN echo \\" ends in an escaped escape character, which continues nothing.
    private static bool EndsWithEscapedEscape(string text, char escape)
    {
        var count = 0;
        for (var i = text.Length - 1; i >= 0 && text[i] == escape; i--) count++;
        return count % 2 == 0;
    }

    private static string ExtractFlags(string rest, List<BuildFlag> flags, string path, int line)
    {
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = WordEnd(rest);
            var word = rest[..end];
            rest = rest[end..].TrimStart();
            if (word == "--") break;
            var body = word[2..];
            var eq = body.IndexOf('=');
            var name = eq < 0 ? body : body[..eq];
            if (name.Length == 0) throw Error(path, line, $"invalid flag '{word}'");
            flags.Add(new BuildFlag(name.ToLowerInvariant(), eq < 0 ? "true" : Unquote(body[(eq + 1)..])));
        }
        return rest;
    }

    // The end of the first word, where quotes may hold blanks.
    private static int WordEnd(string text)
    {
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is null && c is ' ' or '\t') return i;
            if (quote is null && c is '"' or '\'') quote = c;
            else if (c == quote) quote = null;
        }
        return text.Length;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    private static void ReadHeredocs(string rest, string[] lines, ref int index, List<Heredoc> heredocs, string path, int line)
    {
        foreach (Match match in HeredocPattern().Matches(rest))
        {
            var stripTabs = match.Groups[1].Value == "-";
            var quoted = match.Groups[2].Success || match.Groups[3].Success;
            var name = match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Success ? match.Groups[3].Value : match.Groups[4].Value;
            var content = new StringBuilder();
            var closed = false;
            while (index < lines.Length)
            {
                var raw = lines[index++];
                var body = stripTabs ? raw.TrimStart('\t') : raw;
                if (body == name) { closed = true; break; }
                content.Append(body).Append('\n');
            }
            if (!closed) throw Error(path, line, $"unterminated heredoc '{name}'");
            heredocs.Add(new Heredoc(name, content.ToString(), !quoted));
        }
    }

    /// <summary>The strings of a JSON array of strings, or null when <paramref name="text"/> is not one.</summary>
    public static List<string>? TryJsonArray(string text)
    {
        if (!text.StartsWith('[')) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return null;
            var list = new List<string>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) return null;
                list.Add(item.GetString()!);
            }
            return list;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dockerfile Group(List<DockerfileInstruction> instructions, string path, char escape)
    {
        var globalArgs = new List<DockerfileInstruction>();
        var stages = new List<DockerfileStage>();
        DockerfileInstruction? from = null;
        var body = new List<DockerfileInstruction>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                if (from is not null) stages.Add(new DockerfileStage(stages.Count, from, body));
                ValidateFrom(instruction, path, names);
                from = instruction;
                body = new List<DockerfileInstruction>();
                continue;
            }
            if (from is null)
            {
                if (instruction.Keyword != "ARG")
                    throw Error(path, instruction.Line, $"{instruction.Keyword} before the first FROM: only ARG may come first");
                globalArgs.Add(instruction);
                continue;
            }
            body.Add(instruction);
        }
        if (from is null) throw Error(path, Math.Max(1, instructions.LastOrDefault()?.Line ?? 1), "the file has no FROM instruction");
        stages.Add(new DockerfileStage(stages.Count, from, body));
        return new Dockerfile(path, escape, globalArgs, stages);
    }

    private static void ValidateFrom(DockerfileInstruction from, string path, HashSet<string> names)
    {
        var words = from.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is not (1 or 3) || (words.Length == 3 && !words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)))
            throw Error(path, from.Line, "FROM requires either one argument, or three: FROM <image> AS <name>");
        foreach (var flag in from.Flags)
            if (flag.Name != "platform") throw Error(path, from.Line, $"unknown flag for FROM: --{flag.Name}");
        if (words.Length == 3)
        {
            var name = words[2].ToLowerInvariant();
            if (!StageNamePattern().IsMatch(name)) throw Error(path, from.Line, $"invalid stage name '{words[2]}'");
            if (!names.Add(name)) throw Error(path, from.Line, $"duplicate stage name '{words[2]}'");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_.-]*$")]
    private static partial Regex StageNamePattern();
}
