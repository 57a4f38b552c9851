using System.Globalization;
using PSContainer.Engine.Interop;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Volumes;

/// <summary>
/// Volumes: create, list, remove and prune them, and give containers their mounts. A volume is in use while
/// any container (in any state) mounts it; anonymous volumes go with their container when it is removed with
/// its volumes or was created with -AutoRemove.
/// </summary>
internal sealed class VolumeManager
{
    private readonly StoreLayout _layout;
    private readonly VolumeStore _store;
    private readonly IVolumeUsers _users;

    public VolumeManager(StoreLayout layout, IVolumeUsers users)
    {
        _layout = layout;
        _store = new VolumeStore(layout);
        _users = users;
    }

    /// <summary>The volume files.</summary>
    public VolumeStore Store => _store;

    /// <summary>
    /// Creates a volume; without a name it gets a generated one and counts as anonymous. A volume that exists
    /// already is returned as it is, as <c>docker volume create</c> does.
    /// </summary>
    public VolumeRecord Create(string? name, IReadOnlyDictionary<string, string> labels)
    {
        if (name is not null) VolumeNames.Validate(name);
        using var _ = _layout.Lock();
        return Ensure(name ?? VolumeNames.Generate(), labels, anonymous: name is null);
    }

    /// <summary>Every volume, after clearing what a crash left half made.</summary>
    public List<VolumeRecord> List()
    {
        using var _ = _layout.Lock();
        _store.Repair();
        return _store.List();
    }

    /// <summary>One volume by exact name.</summary>
    public VolumeRecord Find(string name) => _store.Get(name) ?? throw NotFound(name);

    /// <summary>Volume name → names of the containers that mount it.</summary>
    public Dictionary<string, List<string>> Users() => _users.ByVolume();

    /// <summary>The cmdlets' view of a volume; <paramref name="withSize"/> walks its files to add them up.</summary>
    public VolumeInfo Describe(VolumeRecord record, IReadOnlyDictionary<string, List<string>> users, bool withSize)
    {
        var data = _store.PathsOf(record.Name).Data;
        var usedBy = users.TryGetValue(record.Name, out var names) ? names : [];
        return VolumeInfo.From(record, data, usedBy, withSize ? DiskUsage.Of(data) : null);
    }

    /// <summary>Removes a volume; one that a container mounts needs <paramref name="force"/>.</summary>
    public void Remove(string name, bool force)
    {
        using var _ = _layout.Lock();
        Find(name);
        if (!force && Users().TryGetValue(name, out var users))
            throw new EngineException("VolumeInUse", EngineErrorKind.InvalidState,
                $"Volume {name} is in use by {string.Join(", ", users)}; remove the container first or use -Force.", name);
        _store.Delete(name);
    }

    /// <summary>Removes every volume no container mounts; returns what it removed.</summary>
    public List<VolumeRecord> Prune(bool includeNamed = true)
    {
        using var _ = _layout.Lock();
        var removed = UnusedUnderLock(includeNamed);
        foreach (var volume in removed)
            _store.Delete(volume.Name);
        return removed;
    }

    /// <summary>The volumes no container uses: anonymous ones, and named ones too with <paramref name="includeNamed"/>.</summary>
    public List<VolumeRecord> Unused(bool includeNamed)
    {
        using var _ = _layout.Lock();
        return UnusedUnderLock(includeNamed);
    }

    /// <summary>Removes the volume if no container uses it (any more); false when one does or it is gone.</summary>
    public bool RemoveIfUnused(string name)
    {
        using var _ = _layout.Lock();
        if (Users().ContainsKey(name) || !_store.List().Any(v => v.Name == name)) return false;
        _store.Delete(name);
        return true;
    }

    private List<VolumeRecord> UnusedUnderLock(bool includeNamed)
    {
        var users = Users();
        return _store.List().Where(v => !users.ContainsKey(v.Name) && (includeNamed || v.Anonymous)).ToList();
    }

    /// <summary>
    /// Checks and completes a new container's mounts under the store lock: bind sources must exist, named volumes
    /// are created on first use, anonymous ones get names, and each VOLUME of the image that no mount covers gets
    /// an anonymous volume.
    /// </summary>
    public List<MountSetting> Prepare(IReadOnlyList<MountSetting> requested, OciRunConfig? image)
    {
        var mounts = new List<MountSetting>();
        foreach (var mount in requested)
        {
            if (mounts.Any(m => m.Target == mount.Target))
                throw new EngineException("DuplicateMountDestination", EngineErrorKind.InvalidArgument,
                    $"Two mounts have the destination {mount.Target}.", mount.Target);
            switch (mount.Type)
            {
                case MountType.Bind:
                    CheckBindSource(mount);
                    break;
                case MountType.Volume:
                    mount.Source ??= VolumeNames.Generate();
                    Ensure(mount.Source, new Dictionary<string, string>(), mount.Anonymous);
                    break;
            }
            mounts.Add(mount);
        }
        foreach (var path in image?.Volumes?.Keys ?? Enumerable.Empty<string>())
        {
            var target = MountParser.CleanTarget(path, "VOLUME " + path);
            if (mounts.Any(m => m.Target == target)) continue;
            var name = VolumeNames.Generate();
            Ensure(name, new Dictionary<string, string>(), anonymous: true);
            mounts.Add(new MountSetting { Type = MountType.Volume, Source = name, Target = target, Anonymous = true });
        }
        return mounts;
    }

    /// <summary>
    /// The OCI mounts of a container about to start (its <paramref name="mounts"/>), its root filesystem mounted at <paramref name="rootfs"/>.
    /// A volume removed since the container was created is made again; a volume mounted for the first time is
    /// filled with what the image has at the mount point, if it is empty (Docker's copy-up). Needs the store lock.
    /// </summary>
    public List<OciMount> Attach(IEnumerable<MountSetting> mounts, string rootfs)
    {
        var list = new List<OciMount>();
        foreach (var mount in mounts)
        {
            switch (mount.Type)
            {
                case MountType.Volume:
                    var volume = Ensure(mount.Source!, new Dictionary<string, string>(), mount.Anonymous);
                    var data = _store.PathsOf(volume.Name).Data;
                    if (!volume.CopiedUp && !mount.NoCopy)
                    {
                        CopyUp(rootfs, mount.Target, data);
                        volume.CopiedUp = true;
                        _store.Save(volume);
                    }
                    list.Add(BindMount(mount, data));
                    break;
                case MountType.Bind:
                    CheckBindSource(mount);
                    list.Add(BindMount(mount, mount.Source!));
                    break;
                case MountType.Tmpfs:
                    var options = new List<string> { mount.ReadOnly ? "ro" : "rw", "nosuid", "nodev", "mode=" + Convert.ToString(mount.TmpfsMode ?? 0x3FF, 8) };
                    if (mount.TmpfsSize is { } size) options.Add("size=" + size.ToString(CultureInfo.InvariantCulture));
                    list.Add(new OciMount { Destination = mount.Target, Type = "tmpfs", Source = "tmpfs", Options = options });
                    break;
            }
        }
        return list;
    }

    /// <summary>
    /// Removes the anonymous volumes among the <paramref name="mounts"/> of the removed container <paramref name="containerId"/>
    /// that no other container mounts. Needs the store lock.
    /// </summary>
    public void RemoveAnonymous(string containerId, IEnumerable<MountSetting> mounts)
    {
        var users = _users.ByVolume(exceptId: containerId);
        foreach (var mount in mounts)
            if (mount is { Type: MountType.Volume, Anonymous: true, Source: { } name } && !users.ContainsKey(name))
                _store.Delete(name);
    }

    private VolumeRecord Ensure(string name, IReadOnlyDictionary<string, string> labels, bool anonymous)
    {
        if (_store.Get(name) is { } existing) return existing;
        var record = new VolumeRecord
        {
            Name = name,
            Created = DateTimeOffset.UtcNow,
            Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal),
            Anonymous = anonymous,
        };
        _store.Add(record);
        return record;
    }

    private static void CopyUp(string rootfs, string target, string data)
    {
        if (Directory.EnumerateFileSystemEntries(data).Any()) return;
        // The runtime follows symlinks at the mount point inside the root, so the image content is found the same way.
        var source = RootedPath.Resolve(rootfs, target, followFinalSymlink: true);
        if (Libc.LStat(source) is { FileType: Libc.S_IFDIR })
            TreeCopier.Copy(source, data, CancellationToken.None);
    }

    private static OciMount BindMount(MountSetting mount, string source) => new()
    {
        Destination = mount.Target,
        Type = "bind",
        Source = source,
        Options = ["rbind", "rprivate", mount.ReadOnly ? "ro" : "rw"],
    };

    private static void CheckBindSource(MountSetting mount)
    {
        if (!Path.Exists(mount.Source))
            throw new EngineException("BindSourceNotFound", EngineErrorKind.NotFound,
                $"Cannot bind-mount {mount.Source} at {mount.Target}: the host path does not exist.", mount.Source);
    }

    private static EngineException NotFound(string name) =>
        new("VolumeNotFound", EngineErrorKind.NotFound, $"No such volume: {name}", name);
}
