namespace PSContainer.Engine.Storage;

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
            var candidate = Join(root, resolved) + "/" + part;
            var target = pending.Count > 0 || followFinalSymlink ? new FileInfo(candidate).LinkTarget : null;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++hops > MaxSymlinkHops)
                throw new EngineException("TooManySymlinks", EngineErrorKind.InvalidArgument,
                    $"Resolving '{path}' met more than {MaxSymlinkHops} symlinks.", path);
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (var linkPart in Split(target).Reverse())
                pending.AddFirst(linkPart);
        }
        return Join(root, resolved);
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".");

    private static string Join(string root, List<string> parts) =>
        parts.Count == 0 ? (root.Length == 0 ? "/" : root) : root + "/" + string.Join('/', parts);
}
