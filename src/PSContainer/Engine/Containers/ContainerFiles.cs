using PSContainer.Engine.Interop;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Volumes;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Layers;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Host-side work on a container's files: copying in and out (<c>docker cp</c>), exporting the file system
/// (<c>docker export</c>) and listing what the writable layer changed (<c>docker diff</c>). Container paths
/// resolve inside the container's view only, and nothing from the container is ever run or loaded.
/// </summary>
internal sealed class ContainerFiles
{
    private readonly ContainerManager _containers;
    private readonly LayerStore _layers;
    private readonly VolumeStore _volumes;

    public ContainerFiles(ContainerManager containers, LayerStore layers, VolumeStore volumes)
    {
        _containers = containers;
        _layers = layers;
        _volumes = volumes;
    }

    /// <summary>
    /// Copies <paramref name="containerPath"/> out of the container to <paramref name="hostPath"/>. Symlinks are
    /// copied as links; the source's own last component is followed (inside the container) only with
    /// <paramref name="followLink"/> or a trailing "/" or "/.".
    /// </summary>
    public void CopyOut(string container, string containerPath, string hostPath, bool followLink, CancellationToken cancel) =>
        _containers.WithRootfs(container, freeze: true, (record, paths) =>
        {
            var view = ViewOf(record, paths);
            var contentsOnly = CopyPlan.MeansContents(containerPath);
            var source = view.Resolve(containerPath, followLink || CopyPlan.MeansDirectory(containerPath));
            var stat = Libc.LStat(source.Physical) ?? throw new EngineException("CopySourceNotFound", EngineErrorKind.NotFound,
                $"No such file or directory in container {record.Name}: {containerPath}", containerPath);
            var isDirectory = stat.FileType == Libc.S_IFDIR;
            if (!isDirectory && CopyPlan.MeansDirectory(containerPath))
                throw new EngineException("SourceNotDirectory", EngineErrorKind.InvalidArgument, $"{containerPath} in container {record.Name} is not a directory.", containerPath);

            var destination = Path.GetFullPath(hostPath).TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/";
            var found = Directory.Exists(destination) ? CopyDestination.Directory
                : Path.Exists(destination) || Libc.LStat(destination) is not null ? CopyDestination.Other : CopyDestination.Missing;
            var plan = CopyPlan.Decide(isDirectory, contentsOnly, CopyPlan.NameOf(containerPath, source.Logical), destination, found,
                CopyPlan.MeansDirectory(hostPath), Directory.Exists(Path.GetDirectoryName(destination)), hostPath);
            if (plan.ContentsOnly)
                TreeCopier.CopyChildren(source.Physical, plan.Path, cancel);
            else
                TreeCopier.Copy(source.Physical, plan.Path, cancel);
            return true;
        });

    /// <summary>
    /// Copies <paramref name="hostPath"/> into the container at <paramref name="containerPath"/>. The destination's
    /// symlinks are followed inside the container; what the copy creates replaces symlinks instead of writing through them.
    /// </summary>
    public void CopyIn(string container, string hostPath, string containerPath, bool followLink, CancellationToken cancel) =>
        _containers.WithRootfs(container, freeze: true, (record, paths) =>
        {
            var contentsOnly = CopyPlan.MeansContents(hostPath);
            var source = Path.GetFullPath(hostPath);
            if (followLink || CopyPlan.MeansDirectory(hostPath))
                source = new FileInfo(source).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? source;
            var stat = Libc.LStat(source) ?? throw new EngineException("CopySourceNotFound", EngineErrorKind.NotFound,
                $"No such file or directory: {hostPath}", hostPath);
            var isDirectory = stat.FileType == Libc.S_IFDIR;
            if (!isDirectory && CopyPlan.MeansDirectory(hostPath))
                throw new EngineException("SourceNotDirectory", EngineErrorKind.InvalidArgument, $"{hostPath} is not a directory.", hostPath);

            var view = ViewOf(record, paths);
            var destination = view.Resolve(containerPath, followFinalSymlink: true);
            var found = Libc.LStat(destination.Physical) switch
            {
                null => CopyDestination.Missing,
                { FileType: Libc.S_IFDIR } => CopyDestination.Directory,
                _ => CopyDestination.Other,
            };
            var parent = Path.GetDirectoryName(destination.Physical);
            var plan = CopyPlan.Decide(isDirectory, contentsOnly, CopyPlan.NameOf(hostPath, source), destination.Logical, found,
                CopyPlan.MeansDirectory(containerPath), parent is not null && Libc.LStat(parent) is { FileType: Libc.S_IFDIR }, containerPath);
            // The entry itself is not followed: tar semantics replace a symlink there rather than write through it.
            var target = plan.Path == destination.Logical ? destination : view.Resolve(plan.Path, followFinalSymlink: false);
            if (target.Mount?.ReadOnly ?? record.Settings.ReadOnly)
                throw new EngineException("CopyToReadOnly", EngineErrorKind.InvalidState,
                    $"{target.Logical} in container {record.Name} is on a read-only {(target.Mount is null ? "root file system" : "mount")}.", containerPath);
            if (plan.ContentsOnly)
                TreeCopier.CopyChildren(source, target.Physical, cancel, target.Logical);
            else
                TreeCopier.Copy(source, target.Physical, cancel, target.Logical);
            return true;
        });

    /// <summary>
    /// Describes <paramref name="containerPath"/> as the container sees it (its mounts included), without following a
    /// final symlink; null when nothing is there.
    /// </summary>
    public ContainerPathStat? Stat(string container, string containerPath) =>
        _containers.WithRootfs(container, freeze: false, (record, paths) =>
        {
            var path = ViewOf(record, paths).Resolve(containerPath, followFinalSymlink: false);
            if (Libc.LStat(path.Physical) is not { } stat) return null;
            var isLink = stat.FileType == Libc.S_IFLNK;
            var name = Path.GetFileName(path.Logical.TrimEnd('/'));
            return new ContainerPathStat(name.Length == 0 ? "/" : name, (long)stat.Size, stat.Mode,
                DateTimeOffset.FromUnixTimeSeconds(stat.MtimeSeconds).AddTicks(stat.MtimeNanoseconds / 100),
                isLink ? new FileInfo(path.Physical).LinkTarget ?? "" : "", stat.FileType == Libc.S_IFDIR);
        });

    /// <summary>Writes the container's file system (without its volumes) to <paramref name="hostFile"/> as a tar, like <c>docker export</c>.</summary>
    public void Export(string container, string hostFile) =>
        _containers.WithRootfs(container, freeze: true, (record, paths) =>
        {
            var temp = hostFile + ".tmp-" + Environment.ProcessId;
            try
            {
                using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    // The overlay hides whiteouts and its own attributes, so the merged tree packs as a flat file system.
                    LayerPacker.Pack(paths.Rootfs, output);
                    output.Flush(flushToDisk: true);
                }
                File.Move(temp, hostFile, overwrite: true);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
            return true;
        });

    /// <summary>What the container's writable layer added, changed and deleted, sorted by path.</summary>
    public List<ContainerChange> Changes(string container)
    {
        var record = _containers.Find(container);
        var paths = _containers.Store.PathsOf(record.Id);
        var lowers = record.Layers.AsEnumerable().Reverse().Select(_layers.DiffDir).ToList();
        var mountPoints = StoreJson.TryRead(paths.BundleConfig, OciJsonContext.Default.OciSpec)?.Mounts.Select(m => m.Destination) ?? [];
        return ContainerChanges.Compute(paths.Upper, lowers, mountPoints);
    }

    /// <summary>The container's files with its mounts laid over its rootfs.</summary>
    private ContainerFileView ViewOf(ContainerRecord record, ContainerPaths paths)
    {
        var mounts = new List<FileViewMount>();
        foreach (var file in new[] { "hostname", "hosts", "resolv.conf" })
            if (File.Exists(Path.Combine(paths.Dir, file)))
                mounts.Add(new FileViewMount("/etc/" + file, Path.Combine(paths.Dir, file), record.Settings.ReadOnly));
        if (record.Settings.ReadOnly)
            foreach (var dir in new[] { "/tmp", "/var/tmp", "/run" })
                mounts.Add(new FileViewMount(dir, null, ReadOnly: false));
        foreach (var mount in record.Settings.Mounts)
        {
            var source = mount.Type switch
            {
                MountType.Volume => _volumes.PathsOf(mount.Source!).Data,
                MountType.Bind => mount.Source,
                _ => null,
            };
            mounts.RemoveAll(m => m.Target == mount.Target);
            mounts.Add(new FileViewMount(mount.Target, source, mount.ReadOnly));
        }
        return new ContainerFileView(paths.Rootfs, mounts);
    }
}
