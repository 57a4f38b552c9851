using PSContainer.Engine.Storage;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Layers;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Container records on disk. A container directory appears by rename once its record is written, and
/// disappears by rename before it is deleted, so a crash never leaves a half-made container visible.
/// </summary>
internal sealed class ContainerStore
{
    private const string StagingPrefix = ".new-";
    private const string TrashPrefix = ".gone-";
    private readonly StoreLayout _layout;

    public ContainerStore(StoreLayout layout) => _layout = layout;

    /// <summary>The paths of a container.</summary>
    public ContainerPaths PathsOf(string id) => new(_layout.ContainerDir(id));

    /// <summary>Every container record; unreadable ones are skipped.</summary>
    public List<ContainerRecord> List()
    {
        var list = new List<ContainerRecord>();
        foreach (var dir in Directory.EnumerateDirectories(_layout.ContainersDir))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.')) continue;
            var record = StoreJson.TryRead(Path.Combine(dir, "container.json"), ContainerJsonContext.Default.ContainerRecord);
            if (record is not null) list.Add(WithHealth(record));
        }
        return list;
    }

    /// <summary>A container by full id, or null.</summary>
    public ContainerRecord? Get(string id) =>
        id.Length == 64 && id.All(char.IsAsciiHexDigitLower) && StoreJson.TryRead(PathsOf(id).Record, ContainerJsonContext.Default.ContainerRecord) is { } record
            ? WithHealth(record)
            : null;

    private ContainerRecord WithHealth(ContainerRecord record)
    {
        record.Health = HealthChecker.Read(PathsOf(record.Id), record);
        return record;
    }

    /// <summary>Writes a new container: directories and record in a staging directory, then one rename.</summary>
    public void Add(ContainerRecord record)
    {
        var staging = new ContainerPaths(Path.Combine(_layout.ContainersDir, StagingPrefix + record.Id));
        Directory.CreateDirectory(staging.Dir);
        foreach (var dir in new[] { staging.Upper, staging.Work, staging.Rootfs, staging.PersistDir })
            Directory.CreateDirectory(dir);
        StoreJson.Write(staging.Record, record, ContainerJsonContext.Default.ContainerRecord);
        Directory.Move(staging.Dir, PathsOf(record.Id).Dir);
    }

    /// <summary>Rewrites a container's record atomically.</summary>
    public void Save(ContainerRecord record) =>
        StoreJson.Write(PathsOf(record.Id).Record, record, ContainerJsonContext.Default.ContainerRecord);

    /// <summary>Removes a container's directory: renamed away first, then deleted.</summary>
    public void Delete(string id)
    {
        var dir = PathsOf(id).Dir;
        if (!Directory.Exists(dir)) return;
        var trash = Path.Combine(_layout.ContainersDir, TrashPrefix + id);
        DirectoryTree.Delete(trash);
        Directory.Move(dir, trash);
        DirectoryTree.Delete(trash);
    }

    /// <summary>Removes staging and trash directories a crash left behind. The caller holds the store lock.</summary>
    public void Repair(ISet<string> mountPoints)
    {
        foreach (var dir in Directory.EnumerateDirectories(_layout.ContainersDir))
        {
            var name = Path.GetFileName(dir);
            if (!name.StartsWith(StagingPrefix, StringComparison.Ordinal) && !name.StartsWith(TrashPrefix, StringComparison.Ordinal))
                continue;
            var rootfs = Path.Combine(dir, "rootfs");
            if (mountPoints.Contains(rootfs)) OverlayMount.Unmount(rootfs);
            DirectoryTree.Delete(dir);
        }
    }
}
