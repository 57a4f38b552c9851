using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// A build's scratch directory, <c>tmp/build-&lt;pid&gt;-&lt;random&gt;</c>: the overlay mounts of its steps
/// and their upper directories. Disposing unmounts and removes all of it; what a killed build left is
/// removed by <see cref="RemoveLeftovers"/> on the next engine call, found by the dead pid in its name.
/// </summary>
internal sealed class BuildWorkspace : IDisposable
{
    private const string Kind = "build";
    private readonly StoreLayout _layout;
    private readonly LayerStore _layers;
    private readonly List<string> _mounts = new();
    private int _counter;

    public BuildWorkspace(StoreLayout layout, LayerStore layers)
    {
        _layout = layout;
        _layers = layers;
        Dir = Path.Combine(layout.TempDir, TempName.For(Kind));
        Directory.CreateDirectory(Dir);
    }

    /// <summary>The workspace directory.</summary>
    public string Dir { get; }

    /// <summary>A fresh empty directory in the workspace.</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(Dir, $"{name}{++_counter}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Mounts the layers <paramref name="chainIds"/> (base first) under a new empty upper directory; the
    /// returned root is writable and its changes land in the returned upper directory.
    /// </summary>
    public (string Root, string Upper) MountWritable(IReadOnlyList<string> chainIds)
    {
        var dir = NewDirectory("step");
        var upper = Path.Combine(dir, "upper");
        var work = Path.Combine(dir, "work");
        var root = Path.Combine(dir, "rootfs");
        foreach (var d in new[] { upper, work, root }) Directory.CreateDirectory(d);
        Libc.Check(Libc.chmod(upper, 0x1ED), "change the mode of", upper);
        var lowers = Lowers(chainIds, dir);
        OverlayMount.Mount(_layout.Root, lowers, upper, work, root);
        _mounts.Add(root);
        return (root, upper);
    }

    /// <summary>The layers <paramref name="chainIds"/> as one read-only tree (a stage or image COPY --from reads).</summary>
    public string MountReadOnly(IReadOnlyList<string> chainIds)
    {
        if (chainIds.Count == 0) return NewDirectory("empty");
        if (chainIds.Count == 1) return _layers.DiffDir(chainIds[0]);
        var dir = NewDirectory("view");
        var root = Path.Combine(dir, "rootfs");
        Directory.CreateDirectory(root);
        var options = "lowerdir=" + string.Join(':', chainIds.Reverse().Select(c => Path.Combine(_layout.Root, _layers.LinkPath(_layers.Get(c)))));
        if (options.Length > 4000)
            throw new EngineException("TooManyLayers", EngineErrorKind.InvalidArgument, $"The stage has too many layers ({chainIds.Count}) to mount.");
        Libc.Check(Libc.mount("overlay", root, "overlay", Libc.MS_RDONLY, options), "mount the layers at", root);
        _mounts.Add(root);
        return root;
    }

    /// <summary>Has the workspace unmount <paramref name="mountPoint"/> (mounted by the caller inside it) when it is disposed.</summary>
    public void Track(string mountPoint) => _mounts.Add(mountPoint);

    /// <summary>Unmounts a root this workspace mounted.</summary>
    public void Unmount(string root)
    {
        OverlayMount.Unmount(root);
        _mounts.Remove(root);
    }

    /// <summary>Unmounts everything and removes the directory.</summary>
    public void Dispose()
    {
        foreach (var root in _mounts.AsEnumerable().Reverse().ToList()) OverlayMount.Unmount(root);
        _mounts.Clear();
        DirectoryTree.Delete(Dir);
    }

    /// <summary>Unmounts and removes the workspaces of builds whose process is gone.</summary>
    public static void RemoveLeftovers(StoreLayout layout)
    {
        List<string>? mountPoints = null;
        foreach (var dir in Directory.EnumerateDirectories(layout.TempDir, Kind + "-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[1], out var pid) || pid == Environment.ProcessId || Libc.ProcessExists(pid)) continue;
            mountPoints ??= OverlayMount.MountPoints().ToList();
            foreach (var mount in mountPoints.Where(m => m.StartsWith(dir + "/", StringComparison.Ordinal)).OrderByDescending(m => m.Length))
                OverlayMount.Unmount(mount);
            DirectoryTree.Delete(dir);
        }
    }

    private List<string> Lowers(IReadOnlyList<string> chainIds, string dir)
    {
        if (chainIds.Count == 0)
        {
            // overlayfs needs a lower directory; an empty one stands for scratch.
            var empty = Path.Combine(dir, "empty");
            Directory.CreateDirectory(empty);
            return [Path.GetRelativePath(_layout.Root, empty)];
        }
        return chainIds.Reverse().Select(c => _layers.LinkPath(_layers.Get(c))).ToList();
    }
}
