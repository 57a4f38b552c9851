using PSContainer.Engine.Interop;
using PSContainer.Engine.Storage;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Volumes;

/// <summary>
/// Volume records and data on disk. As with containers, a volume directory appears by rename once its record is
/// written and disappears by rename before it is deleted, so a crash never leaves a half-made volume visible.
/// Valid names start with a letter or digit, so the dot-prefixed staging and trash names cannot clash with one.
/// </summary>
internal sealed class VolumeStore
{
    private const string StagingPrefix = ".new-";
    private const string TrashPrefix = ".gone-";
    private const uint DataMode = 0x1ED; // 0755 whatever the umask, as Docker's _data

    private readonly StoreLayout _layout;

    public VolumeStore(StoreLayout layout) => _layout = layout;

    /// <summary>The paths of a volume; the name must be valid, so it cannot point outside the store.</summary>
    public VolumePaths PathsOf(string name)
    {
        VolumeNames.Validate(name);
        return new VolumePaths(Path.Combine(_layout.VolumesDir, name));
    }

    /// <summary>Every volume record; unreadable ones are skipped.</summary>
    public List<VolumeRecord> List()
    {
        var list = new List<VolumeRecord>();
        foreach (var dir in Directory.EnumerateDirectories(_layout.VolumesDir))
        {
            if (!VolumeNames.IsValid(Path.GetFileName(dir))) continue;
            var record = StoreJson.TryRead(new VolumePaths(dir).Record, VolumeJsonContext.Default.VolumeRecord);
            if (record is not null) list.Add(record);
        }
        return list;
    }

    /// <summary>A volume by exact name, or null.</summary>
    public VolumeRecord? Get(string name) =>
        VolumeNames.IsValid(name) ? StoreJson.TryRead(PathsOf(name).Record, VolumeJsonContext.Default.VolumeRecord) : null;

    /// <summary>Writes a new volume: an empty data directory and the record in a staging directory, then one rename.</summary>
    public void Add(VolumeRecord record)
    {
        var staging = new VolumePaths(Path.Combine(_layout.VolumesDir, StagingPrefix + record.Name));
        DirectoryTree.Delete(staging.Dir);
        Directory.CreateDirectory(staging.Dir);
        Directory.CreateDirectory(staging.Data);
        Libc.Check(Libc.chmod(staging.Data, DataMode), "change the mode of", staging.Data);
        StoreJson.Write(staging.Record, record, VolumeJsonContext.Default.VolumeRecord);
        Directory.Move(staging.Dir, PathsOf(record.Name).Dir);
    }

    /// <summary>Rewrites a volume's record atomically.</summary>
    public void Save(VolumeRecord record) =>
        StoreJson.Write(PathsOf(record.Name).Record, record, VolumeJsonContext.Default.VolumeRecord);

    /// <summary>Removes a volume and its data: renamed away first, then deleted.</summary>
    public void Delete(string name)
    {
        var dir = PathsOf(name).Dir;
        if (!Directory.Exists(dir)) return;
        var trash = Path.Combine(_layout.VolumesDir, TrashPrefix + name);
        DirectoryTree.Delete(trash);
        Directory.Move(dir, trash);
        DirectoryTree.Delete(trash);
    }

    /// <summary>Removes staging and trash directories a crash left behind. The caller holds the store lock.</summary>
    public void Repair()
    {
        foreach (var dir in Directory.EnumerateDirectories(_layout.VolumesDir))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith(StagingPrefix, StringComparison.Ordinal) || name.StartsWith(TrashPrefix, StringComparison.Ordinal))
                DirectoryTree.Delete(dir);
        }
    }
}
