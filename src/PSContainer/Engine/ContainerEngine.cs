using PSContainer.Engine.Archives;
using PSContainer.Engine.Build;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Volumes;

namespace PSContainer.Engine;

/// <summary>
/// The engine: one object per command, opened on the on-disk store. There is no daemon; every call
/// reads the store, takes the store lock to change it, and reconciles what happened while nobody looked.
/// This is the composition root only: it builds the stores and managers and hands each the narrow
/// collaborators it uses; no manager sees the engine.
/// </summary>
internal sealed class ContainerEngine
{
    private ContainerEngine(EngineOptions options)
    {
        Options = options;
        Layout = new StoreLayout(options.Root, options.RunRoot);
        Content = new ContentStore(Layout.BlobsDir, Layout.TempDir);
        Layers = new LayerStore(Layout);
        ImageStore = new ImageStore(Layout, Content);
        Cgroups = new CgroupHost();
        var containerStore = new ContainerStore(Layout);
        var usage = new ContainerUsage(containerStore);
        Images = new ImageService(Layout, Content, Layers, ImageStore, usage);
        Volumes = new VolumeManager(Layout, usage);
        Networks = new NetworkManager(Layout, usage);
        Containers = new ContainerManager(Layout, containerStore, options.Runtime, Cgroups, Images, ImageStore, Layers, Volumes, Networks);
        Exec = new ContainerExec(Layout, Containers);
        Files = new ContainerFiles(Containers, Layers, Volumes.Store);
        Waiter = new ContainerWaiter(Containers, Exec);
        ImagePuller = new ImagePuller(Layout, Content, Layers, ImageStore);
        ArchiveImporter = new ArchiveImporter(Layout, Content, Layers, ImageStore, Images);
        ImageExporter = new ImageExporter(Layout, Content, Layers, ImageStore);
        var build = new BuildDependencies(Layout, Content, Layers, ImageStore, Images, ImagePuller, new TransientContainer(Layout, Containers, Cgroups));
        Builder = new ImageBuilder(build);
        Committer = new ContainerCommitter(build, Containers);
    }

    public EngineOptions Options { get; }
    public StoreLayout Layout { get; }
    public ContentStore Content { get; }
    public LayerStore Layers { get; }
    public ImageStore ImageStore { get; }
    public ImageService Images { get; }
    public CgroupHost Cgroups { get; }
    public ContainerManager Containers { get; }
    public VolumeManager Volumes { get; }
    public NetworkManager Networks { get; }
    public ContainerExec Exec { get; }
    public ContainerFiles Files { get; }
    public ContainerWaiter Waiter { get; }
    public ImagePuller ImagePuller { get; }
    public ArchiveImporter ArchiveImporter { get; }
    public ImageExporter ImageExporter { get; }
    public ImageBuilder Builder { get; }
    public ContainerCommitter Committer { get; }

    /// <summary>A pusher that connects with <paramref name="options"/> (login, insecure registries).</summary>
    public ImagePusher ImagePusher(RegistryClientOptions options) => new(Layout, Content, ImageStore, Images, options);

    /// <summary>A sampler for Measure-Container; it keeps the previous sample of each container.</summary>
    public ContainerStatsSampler StatsSampler() => new(Containers.Store, Cgroups);

    /// <summary>Opens the store, creating it on first use, and reconciles after a reboot.</summary>
    public static ContainerEngine Open(EngineOptions options)
    {
        if (Libc.geteuid() != 0)
            throw new EngineException("RootRequired", EngineErrorKind.PermissionDenied, "PSContainer needs root: run pwsh as root (sudo pwsh).");
        var engine = new ContainerEngine(options);
        engine.Layout.EnsureCreated();
        engine.Containers.ReconcileBoot();
        engine.Builder.RemoveLeftovers();
        return engine;
    }

    /// <summary>Takes the store lock; dispose to release it.</summary>
    public StoreLock Lock() => Layout.Lock();
}
