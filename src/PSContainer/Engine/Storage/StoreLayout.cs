namespace PSContainer.Engine.Storage;

/// <summary>
/// Where everything lives. The persistent root holds blobs, layers, images, containers and volumes;
/// the runtime root (tmpfs, gone after a reboot) holds the OCI runtime's state, exit files and sockets.
/// </summary>
internal sealed class StoreLayout
{
    /// <summary>The default persistent root.</summary>
    public const string DefaultRoot = "/var/lib/pscontainer";

    /// <summary>The default runtime root.</summary>
    public const string DefaultRunRoot = "/run/pscontainer";

    public StoreLayout(string root, string runRoot)
    {
        Root = Path.GetFullPath(root);
        RunRoot = Path.GetFullPath(runRoot);
    }

    /// <summary>The persistent root.</summary>
    public string Root { get; }

    /// <summary>The runtime root.</summary>
    public string RunRoot { get; }

    public string LockFile => Path.Combine(Root, "store.lock");
    public string BlobsDir => Path.Combine(Root, "blobs", "sha256");
    public string LayersDir => Path.Combine(Root, "layers");

    /// <summary>The layer blobs the store has verified, each with the diff id it gives.</summary>
    public string DiffIdsDir => Path.Combine(Root, "diffids");

    /// <summary>Short symlinks to layer diff directories, so overlay option strings stay under a page.</summary>
    public string LinksDir => Path.Combine(Root, "l");

    public string ImagesDir => Path.Combine(Root, "images");
    public string ContainersDir => Path.Combine(Root, "containers");
    public string VolumesDir => Path.Combine(Root, "volumes");

    /// <summary>CNI configuration lists, IPAM leases and cached attachments.</summary>
    public string NetworksDir => Path.Combine(Root, "networks");
    public string TempDir => Path.Combine(Root, "tmp");

    /// <summary>Build cache records, and the directories of RUN --mount=type=cache.</summary>
    public string BuildCacheDir => Path.Combine(Root, "buildcache");

    public string RuntimeStateDir => Path.Combine(RunRoot, "runtime");
    public string ExitDir => Path.Combine(RunRoot, "exits");
    public string SocketDir => Path.Combine(RunRoot, "sockets");
    public string BootIdFile => Path.Combine(RunRoot, "boot_id");

    public string ContainerDir(string id) => Path.Combine(ContainersDir, id);
    public string ExitFile(string id) => Path.Combine(ExitDir, id);

    /// <summary>Takes the store lock; dispose to release it.</summary>
    public StoreLock Lock() => StoreLock.Acquire(LockFile);

    /// <summary>Creates every directory the store needs; cheap when they exist.</summary>
    public void EnsureCreated()
    {
        foreach (var dir in new[] { Root, BlobsDir, LayersDir, LinksDir, ImagesDir, ContainersDir, VolumesDir, TempDir, BuildCacheDir, RunRoot, RuntimeStateDir, ExitDir, SocketDir })
            Directory.CreateDirectory(dir);
    }
}
