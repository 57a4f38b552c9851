using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Containers;

/// <summary>
/// A container's files as the host reaches them: its root filesystem with volumes, bind mounts and the engine's
/// /etc files laid over it where the container sees them. Paths resolve as in the container (RootedPath): symlinks
/// are followed inside this view only, so an answer always lies under the rootfs or under a mount's source.
/// </summary>
internal sealed class ContainerFileView
{
    private readonly string _rootfs;

    // Deepest first, so a mount inside another one wins.
    private readonly List<(string[] Parts, FileViewMount Mount)> _mounts;

    /// <summary>A view of <paramref name="rootfs"/> with <paramref name="mounts"/> laid over it.</summary>
    public ContainerFileView(string rootfs, IEnumerable<FileViewMount> mounts)
    {
        _rootfs = Path.GetFullPath(rootfs).TrimEnd('/');
        // The runtime resolves a mount's destination inside the rootfs before mounting, so the view does too.
        _mounts = mounts
            .Select(m => (Parts: RootedPath.ResolveParts(m.Target, followFinalSymlink: true, InRootfs).ToArray(), Mount: m))
            .Where(m => m.Parts.Length > 0)
            .OrderByDescending(m => m.Parts.Length)
            .ToList();
    }

    /// <summary>
    /// Resolves a container path. A symlink in the last component is followed (inside the view) only when
    /// <paramref name="followFinalSymlink"/> says so. Paths on a tmpfs are refused: their files live in the
    /// container's memory, out of the host's reach.
    /// </summary>
    public ContainerFilePath Resolve(string path, bool followFinalSymlink)
    {
        var parts = RootedPath.ResolveParts(path, followFinalSymlink, Locate);
        return new ContainerFilePath("/" + string.Join('/', parts), Locate(parts), MountOf(parts)?.Mount);
    }

    private string Locate(IReadOnlyList<string> parts)
    {
        if (MountOf(parts) is not { } found)
            return InRootfs(parts);
        var rest = parts.Skip(found.Parts.Length).ToList();
        var source = found.Mount.Source ?? throw new EngineException("PathOnTmpfs", EngineErrorKind.InvalidArgument,
            $"/{string.Join('/', parts)} is on a tmpfs mounted at {found.Mount.Target}, whose files only the container can reach.", found.Mount.Target);
        return rest.Count == 0 ? source : source.TrimEnd('/') + "/" + string.Join('/', rest);
    }

    private (string[] Parts, FileViewMount Mount)? MountOf(IReadOnlyList<string> parts)
    {
        foreach (var mount in _mounts)
            if (mount.Parts.Length <= parts.Count && mount.Parts.SequenceEqual(parts.Take(mount.Parts.Length), StringComparer.Ordinal))
                return mount;
        return null;
    }

    private string InRootfs(IReadOnlyList<string> parts) =>
        parts.Count == 0 ? _rootfs : _rootfs + "/" + string.Join('/', parts);
}
