using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// One instruction as written: its keyword (upper case), the flags before its arguments, the arguments as
/// text (continuations joined), the exec form when the arguments are a JSON array, and its heredocs.
/// </summary>
/// <param name="Keyword">The instruction, upper case: RUN, COPY, …</param>
/// <param name="Flags">The <c>--name=value</c> flags in order, values not yet expanded.</param>
/// <param name="Arguments">What follows the flags, trimmed; the raw text for shell forms.</param>
/// <param name="ExecForm">The JSON array when the arguments are one, else null.</param>
/// <param name="Heredocs">The here-documents the instruction opened, in order.</param>
/// <param name="Line">The line the instruction starts on, from 1.</param>
/// <param name="Original">The instruction's text as written (continuations joined), for history and ONBUILD.</param>
internal sealed record DockerfileInstruction(
    string Keyword,
    IReadOnlyList<BuildFlag> Flags,
    string Arguments,
    IReadOnlyList<string>? ExecForm,
    IReadOnlyList<Heredoc> Heredocs,
    int Line,
    string Original)
{
    /// <summary>The value of the last flag named <paramref name="name"/>, or null.</summary>
    public string? Flag(string name) => Flags.LastOrDefault(f => f.Name == name)?.Value;

    /// <summary>Every value given for the flag <paramref name="name"/>.</summary>
    public IEnumerable<string> FlagValues(string name) => Flags.Where(f => f.Name == name).Select(f => f.Value);
}

/// <summary>A <c>--name=value</c> flag of an instruction; a flag written without a value has the value "true".</summary>
internal sealed record BuildFlag(string Name, string Value);

/// <summary>A here-document: <c>&lt;&lt;EOF</c> … <c>EOF</c>.</summary>
/// <param name="Name">The delimiter word.</param>
/// <param name="Content">The lines between the opening and the delimiter, each ending in a newline.</param>
/// <param name="Expand">Whether variables in it are expanded (an unquoted delimiter).</param>
internal sealed record Heredoc(string Name, string Content, bool Expand);
