namespace PSContainer.Engine.FileSystem;

/// <summary>
/// Resolves paths inside a container root the way the container sees them, as filepath-securejoin does:
/// symlinks are followed with absolute targets taken relative to the root, and <c>..</c> stops at the root,
/// so the result is always the root or below it.
/// </summary>
internal static class RootedPath
{
    /// <summary>The symlink hops allowed before giving up, as in Linux's path walk (MAXSYMLINKS).</summary>
    public const int MaxSymlinkHops = 40;

    /// <summary>
    /// Resolves <paramref name="path"/> (absolute or relative, both taken from the root) under <paramref name="root"/>.
    /// Components that do not exist are kept as written. When <paramref name="followFinalSymlink"/> is false a
    /// symlink in the last component is returned itself, as lstat would see it.
    /// The answer is only as good as the moment it was computed: a tree that someone else changes can differ later.
    /// </summary>
    public static string Resolve(string root, string path, bool followFinalSymlink)
    {
        root = Path.GetFullPath(root).TrimEnd('/');
        return Join(root, ResolveParts(path, followFinalSymlink, parts => Join(root, parts)));
    }

    /// <summary>
    /// Resolves <paramref name="path"/> the same way in a tree whose files are spread over several host
    /// directories, such as a container root with volumes mounted in it: <paramref name="locate"/> maps path
    /// components to the host path that holds them. Returns the resolved components, never above the root.
    /// </summary>
    public static List<string> ResolveParts(string path, bool followFinalSymlink, Func<IReadOnlyList<string>, string> locate)
    {
        var pending = new LinkedList<string>(Split(path));
        var resolved = new List<string>();
        var hops = 0;
        while (pending.First is { } node)
        {
            var part = node.Value;
            pending.RemoveFirst();
            if (part == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            resolved.Add(part);
            var target = pending.Count > 0 || followFinalSymlink ? new FileInfo(locate(resolved)).LinkTarget : null;
            if (target is null)
                continue;
            resolved.RemoveAt(resolved.Count - 1);
            if (++hops > MaxSymlinkHops)
                throw new EngineException("TooManySymlinks", EngineErrorKind.InvalidArgument,
                    $"Resolving '{path}' met more than {MaxSymlinkHops} symlinks.", path);
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (var linkPart in Split(target).Reverse())
                pending.AddFirst(linkPart);
        }
        return resolved;
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".");

    private static string Join(string root, IReadOnlyList<string> parts) =>
        parts.Count == 0 ? (root.Length == 0 ? "/" : root) : root + "/" + string.Join('/', parts);
}
