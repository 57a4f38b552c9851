using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Compares a container's writable layer (the overlay upper directory) with its image layers, like
/// <c>docker diff</c>: whiteouts are deletions, an opaque directory deletes what the image had in it, and
/// a path the image has is a change, any other an addition. Directories that are only in the upper layer
/// because something below them changed are changes only when something below them is reported or their
/// owner or mode changed. Mount points the runtime made (for volumes, /etc/hosts and the like) are not
/// the container's doing and are left out.
/// </summary>
internal sealed class ContainerChanges
{
    private readonly string _upper;
    private readonly IReadOnlyList<string> _lowers;
    private readonly HashSet<string> _mountPoints;
    private readonly List<ContainerChange> _changes = new();

    private ContainerChanges(string upper, IReadOnlyList<string> lowersTopFirst, IEnumerable<string> mountPoints)
    {
        _upper = upper.TrimEnd('/');
        _lowers = lowersTopFirst.Select(l => l.TrimEnd('/')).ToList();
        _mountPoints = mountPoints.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The changes in <paramref name="upper"/> over the layers <paramref name="lowersTopFirst"/> (diff directories,
    /// topmost first), sorted by path. <paramref name="mountPoints"/> are the container's mount destinations.
    /// </summary>
    public static List<ContainerChange> Compute(string upper, IReadOnlyList<string> lowersTopFirst, IEnumerable<string> mountPoints)
    {
        var diff = new ContainerChanges(upper, lowersTopFirst, mountPoints);
        diff.Walk("");
        diff._changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return diff._changes;
    }

    /// <summary>Reports what is under one upper directory; returns whether anything was.</summary>
    private bool Walk(string directory)
    {
        var reported = false;
        var names = Directory.GetFileSystemEntries(_upper + directory).Select(Path.GetFileName).OfType<string>().ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var path = directory + "/" + name;
            if (Libc.LStat(_upper + path) is not { } stat) continue;
            if (OverlayWhiteout.IsWhiteout(stat))
            {
                reported |= Report(ContainerChangeKind.Deleted, path);
                continue;
            }
            var lower = LowerStat(path);
            if (stat.FileType != Libc.S_IFDIR)
            {
                if (lower is null && _mountPoints.Contains(path)) continue;
                reported |= Report(lower is null ? ContainerChangeKind.Added : ContainerChangeKind.Changed, path);
                continue;
            }
            var opaque = OverlayWhiteout.IsOpaque(_upper + path);
            var below = Walk(path);
            if (lower is not { FileType: Libc.S_IFDIR } lowerDir)
            {
                // A directory made only to hold a mount point is the runtime's, not the container's.
                if (below || !IsMountPointOrAbove(path))
                    reported |= Report(lower is null ? ContainerChangeKind.Added : ContainerChangeKind.Changed, path);
                continue;
            }
            if (opaque)
                below |= ReportHidden(path, names: new HashSet<string>(Directory.GetFileSystemEntries(_upper + path).Select(Path.GetFileName).OfType<string>(), StringComparer.Ordinal));
            var metadataChanged = (stat.Mode & 0xFFF) != (lowerDir.Mode & 0xFFF) || stat.Uid != lowerDir.Uid || stat.Gid != lowerDir.Gid;
            if (below || metadataChanged)
                reported |= Report(ContainerChangeKind.Changed, path);
        }
        return reported;
    }

    /// <summary>An opaque directory hides what the image had in it: each such name the upper layer lacks is a deletion.</summary>
    private bool ReportHidden(string directory, HashSet<string> names)
    {
        var hidden = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var lower in _lowers)
        {
            if (Probe(lower, directory) is not (LayerEntry.Present, { FileType: Libc.S_IFDIR })) continue;
            foreach (var entry in Directory.GetFileSystemEntries(lower + directory).Select(Path.GetFileName).OfType<string>())
                if (!names.Contains(entry) && LowerStat(directory + "/" + entry) is not null)
                    hidden.Add(entry);
        }
        foreach (var name in hidden)
            Report(ContainerChangeKind.Deleted, directory + "/" + name);
        return hidden.Count > 0;
    }

    /// <summary>What the image layers show at <paramref name="path"/>: the topmost layer that has it decides, unless a higher one hides it.</summary>
    private Libc.Statx? LowerStat(string path)
    {
        foreach (var lower in _lowers)
        {
            switch (Probe(lower, path))
            {
                case (LayerEntry.Present, { } stat):
                    return OverlayWhiteout.IsWhiteout(stat) ? null : stat;
                case (LayerEntry.Hidden, _):
                    return null;
            }
        }
        return null;
    }

    /// <summary>
    /// What one layer says about a path. Its ancestors are checked one by one with lstat, so a symlink in a
    /// layer is never followed: an ancestor that is not a directory (or is whited out) hides the path, and an
    /// opaque ancestor hides it unless this layer has it.
    /// </summary>
    private static (LayerEntry, Libc.Statx?) Probe(string lower, string path)
    {
        var hiding = OverlayWhiteout.IsOpaque(lower);
        var current = lower;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            current += "/" + parts[i];
            if (Libc.LStat(current) is not { } stat)
                return (hiding ? LayerEntry.Hidden : LayerEntry.Absent, null);
            if (i == parts.Length - 1)
                return (LayerEntry.Present, stat);
            if (stat.FileType != Libc.S_IFDIR)
                return (LayerEntry.Hidden, null);
            hiding |= OverlayWhiteout.IsOpaque(current);
        }
        return (LayerEntry.Present, Libc.LStat(lower));
    }

    private bool IsMountPointOrAbove(string path) =>
        _mountPoints.Any(m => m == path || m.StartsWith(path + "/", StringComparison.Ordinal));

    private bool Report(ContainerChangeKind kind, string path)
    {
        _changes.Add(new ContainerChange { Kind = kind, Path = path });
        return true;
    }

    private enum LayerEntry
    {
        Absent,
        Present,
        Hidden,
    }
}
