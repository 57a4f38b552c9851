using System.Security.Cryptography;
using System.Text;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// The build context: a directory COPY and ADD read from, filtered by .dockerignore. A source may not leave
/// it (<c>../x</c> is refused) and symlinks inside it are never followed out of it: one in the middle of a
/// path resolves inside the context, one at the end is copied as a symlink.
/// </summary>
internal sealed class BuildContext
{
    public BuildContext(string root, DockerignoreMatcher ignore)
    {
        Root = Path.GetFullPath(root).TrimEnd('/');
        if (Root.Length == 0) Root = "/";
        Ignore = ignore;
    }

    /// <summary>The context directory.</summary>
    public string Root { get; }

    /// <summary>The ignore rules.</summary>
    public DockerignoreMatcher Ignore { get; }

    /// <summary>
    /// The context paths (relative, '/'-separated, "" for the root) a COPY source names: the path itself, or
    /// every path its wildcards match. Throws BuildContextEscape for a path outside the context, and
    /// BuildSourceNotFound when nothing (not ignored) matches.
    /// </summary>
    public List<string> Match(string source)
    {
        var relative = Relative(source);
        List<string> matches;
        if (GlobPattern.HasWildcards(relative))
        {
            var pattern = GlobPattern.ToRegex(relative, slashIsSeparator: true);
            var depth = relative.Count(c => c == '/');
            matches = Walk("", depth).Where(p => pattern.IsMatch(p) && !Ignore.IsIgnored(p)).ToList();
        }
        else
        {
            var host = HostPath(relative);
            matches = Libc.LStat(host) is not null && (relative.Length == 0 || !Ignore.IsIgnored(relative) || HasIncludedChild(relative)) ? [relative] : [];
        }
        if (matches.Count == 0)
            throw new EngineException("BuildSourceNotFound", EngineErrorKind.NotFound,
                $"'{source}' is not in the build context or is excluded by .dockerignore.", source);
        return matches;
    }

    /// <summary>
    /// The context path whose content a COPY source gives: a symlink the source names itself is followed,
    /// inside the context, as Docker and buildah read their sources; a dangling one stays the link it is.
    /// </summary>
    public string Followed(string relative)
    {
        var host = RootedPath.Resolve(Root, relative, followFinalSymlink: true);
        if (Libc.LStat(host) is null) return relative;
        return host.Length > Root.Length ? host[(Root.Length + 1)..] : "";
    }

    /// <summary>The host path of a context-relative path, symlinks before the last component resolved inside the context.</summary>
    public string HostPath(string relative) => RootedPath.Resolve(Root, relative, followFinalSymlink: false);

    /// <summary>The entries under a context directory that are not ignored, relative to the context, parents before children.</summary>
    public IEnumerable<string> Entries(string relativeDir)
    {
        foreach (var path in Walk(relativeDir, int.MaxValue))
            if (path != relativeDir && IsIncluded(path))
                yield return path;
    }

    /// <summary>Whether a context path is copied: not ignored, or a directory holding something re-included.</summary>
    public bool IsIncluded(string relative) => !Ignore.IsIgnored(relative) || (IsDirectory(relative) && HasIncludedChild(relative));

    /// <summary>
    /// A digest of what copying <paramref name="relatives"/> would copy: names, types, modes, owners, sizes,
    /// link targets and contents; not times.
    /// </summary>
    public string Digest(IEnumerable<string> relatives)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var relative in relatives)
        {
            Append(hash, relative);
            if (IsDirectory(relative))
                foreach (var entry in Entries(relative)) Append(hash, entry);
        }
        return Content.Digest.From(hash).ToString();
    }

    /// <summary>A context-relative path for <paramref name="source"/>, refusing one that leaves the context.</summary>
    public static string Relative(string source)
    {
        var cleaned = DockerignoreMatcher.Clean(source.Replace('\\', '/'));
        if (cleaned.StartsWith('/')) cleaned = DockerignoreMatcher.Clean(cleaned.TrimStart('/'));
        if (cleaned == "..." || cleaned == ".." || cleaned.StartsWith("../", StringComparison.Ordinal))
            throw new EngineException("BuildContextEscape", EngineErrorKind.PermissionDenied,
                $"'{source}' is outside the build context; COPY and ADD read only inside it.", source);
        return cleaned == "." ? "" : cleaned;
    }

    private void Append(IncrementalHash hash, string relative)
    {
        var host = HostPath(relative);
        if (Libc.LStat(host) is not { } stat) return;
        var line = new StringBuilder();
        line.Append(relative).Append('\0').Append(stat.FileType).Append(' ').Append(stat.Mode & 0xFFF).Append(' ')
            .Append(stat.Uid).Append(':').Append(stat.Gid).Append(' ').Append(stat.Size).Append('\0');
        if (stat.FileType == Libc.S_IFLNK) line.Append(new FileInfo(host).LinkTarget);
        hash.AppendData(Encoding.UTF8.GetBytes(line.ToString()));
        if (stat.FileType == Libc.S_IFREG)
        {
            using var file = File.OpenRead(host);
            hash.AppendData(SHA256.HashData(file));
        }
        hash.AppendData("\n"u8);
    }

    private bool IsDirectory(string relative) => Libc.LStat(HostPath(relative)) is { FileType: Libc.S_IFDIR };

    private bool HasIncludedChild(string relativeDir) =>
        Ignore.HasExclusions && IsDirectory(relativeDir) && Walk(relativeDir, int.MaxValue).Any(p => p != relativeDir && !Ignore.IsIgnored(p));

    // Paths below relativeDir, depth-first in name order, symlinks not followed; at most maxDepth levels down.
    private IEnumerable<string> Walk(string relativeDir, int maxDepth)
    {
        var stack = new Stack<(string Path, int Depth)>();
        stack.Push((relativeDir, -1));
        while (stack.Count > 0)
        {
            var (path, depth) = stack.Pop();
            if (depth >= 0) yield return path;
            if (depth >= maxDepth) continue;
            var host = HostPath(path);
            if (Libc.LStat(host) is not { FileType: Libc.S_IFDIR }) continue;
            var names = Directory.GetFileSystemEntries(host).Select(Path.GetFileName).OfType<string>().ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            for (var i = names.Length - 1; i >= 0; i--)
                stack.Push((path.Length == 0 ? names[i] : path + "/" + names[i], depth + 1));
        }
    }
}
