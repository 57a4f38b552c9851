using PSContainer.Engine.Containers;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Volumes;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine;

/// <summary>
/// The engine: one object per command, opened on the on-disk store. There is no daemon; every call
/// reads the store, takes the store lock to change it, and reconciles what happened while nobody looked.
/// </summary>
internal sealed class ContainerEngine
{
    private ContainerEngine(EngineOptions options)
    {
        Options = options;
        Layout = new StoreLayout(options.Root, options.RunRoot);
        Content = new ContentStore(Layout);
        Layers = new LayerStore(Layout);
        VerifiedBlobs = new VerifiedBlobs(Layout);
        ImageStore = new ImageStore(Layout, Content);
        Images = new ImageService(this);
        Cgroups = new CgroupHost();
        Containers = new ContainerManager(this);
        Volumes = new VolumeManager(this);
        Networks = new NetworkManager(this);
    }

    public EngineOptions Options { get; }
    public StoreLayout Layout { get; }
    public ContentStore Content { get; }
    public LayerStore Layers { get; }
    public VerifiedBlobs VerifiedBlobs { get; }
    public ImageStore ImageStore { get; }
    public ImageService Images { get; }
    public CgroupHost Cgroups { get; }
    public ContainerManager Containers { get; }
    public VolumeManager Volumes { get; }
    public NetworkManager Networks { get; }

    /// <summary>Opens the store, creating it on first use, and reconciles after a reboot.</summary>
    public static ContainerEngine Open(EngineOptions options)
    {
        if (Libc.geteuid() != 0)
            throw new EngineException("RootRequired", EngineErrorKind.PermissionDenied, "PSContainer needs root: run pwsh as root (sudo pwsh).");
        var engine = new ContainerEngine(options);
        engine.Layout.EnsureCreated();
        engine.Containers.ReconcileBoot();
        return engine;
    }

    /// <summary>Takes the store lock; dispose to release it.</summary>
    public StoreLock Lock() => StoreLock.Acquire(Layout.LockFile);
}
