using System.Text.RegularExpressions;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Docker's <c>.dockerignore</c> rules: one pattern a line, <c>#</c> comments and blank lines skipped,
/// patterns cleaned and taken from the context root (a leading '/' means nothing more), <c>*</c> and
/// <c>?</c> within one path component, <c>**</c> across any number of them, <c>!</c> re-includes, and the
/// last pattern that matches a path — or one of its parent directories — decides.
/// </summary>
internal sealed class DockerignoreMatcher
{
    private readonly List<(Regex Pattern, bool Exclusion)> _patterns = new();

    /// <summary>A matcher for the patterns in <paramref name="lines"/>.</summary>
    public DockerignoreMatcher(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var exclusion = line[0] == '!';
            if (exclusion) line = line[1..].Trim();
            var cleaned = Clean(line);
            if (cleaned.Length > 1 && cleaned[0] == '/') cleaned = cleaned[1..];
            if (cleaned is "" or "/") cleaned = ".";
            _patterns.Add((GlobPattern.ToRegex(cleaned, slashIsSeparator: true), exclusion));
        }
    }

    /// <summary>A matcher that ignores nothing.</summary>
    public static DockerignoreMatcher None { get; } = new([]);

    /// <summary>Whether any pattern re-includes paths (then excluded directories must still be searched).</summary>
    public bool HasExclusions => _patterns.Any(p => p.Exclusion);

    /// <summary>Reads the ignore file for <paramref name="dockerfile"/> in <paramref name="contextDir"/>: <c>&lt;file&gt;.dockerignore</c> first, else <c>.dockerignore</c>.</summary>
    public static DockerignoreMatcher ForContext(string contextDir, string dockerfile)
    {
        foreach (var candidate in new[] { dockerfile + ".dockerignore", Path.Combine(contextDir, ".dockerignore") })
            if (File.Exists(candidate)) return new DockerignoreMatcher(File.ReadAllLines(candidate));
        return None;
    }

    /// <summary>Whether <paramref name="path"/> (relative to the context, '/'-separated) is ignored.</summary>
    public bool IsIgnored(string path)
    {
        path = Clean(path).TrimStart('/');
        var slash = path.LastIndexOf('/');
        var parents = slash < 0 ? [] : path[..slash].Split('/');
        var matched = false;
        foreach (var (pattern, exclusion) in _patterns)
        {
            // Only a pattern that could change the verdict needs a look.
            if (exclusion != matched) continue;
            var match = pattern.IsMatch(path);
            for (var i = 1; !match && i <= parents.Length; i++)
                match = pattern.IsMatch(string.Join('/', parents[..i]));
            if (match) matched = !exclusion;
        }
        return matched;
    }

    /// <summary>Go's path.Clean: no empty, "." or resolvable ".." components.</summary>
    public static string Clean(string path)
    {
        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") { parts.RemoveAt(parts.Count - 1); continue; }
            if (part == ".." && rooted) continue;
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
