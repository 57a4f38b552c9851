using PSContainer.Engine.Containers;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Volumes;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Containers;

/// <summary>What Images and Volumes learn about containers: names, layers and mounts, never records.</summary>
public sealed class ContainerUsageTests : IDisposable
{
    private readonly ScratchDir _dir = new("pscontainer-usage-");
    private readonly ContainerStore _store;
    private readonly ContainerUsage _usage;

    public ContainerUsageTests()
    {
        var layout = new StoreLayout(_dir["root"], _dir["run"]);
        layout.EnsureCreated();
        _store = new ContainerStore(layout);
        _usage = new ContainerUsage(_store);
        Add("web", "sha256:img1", ["sha256:l1", "sha256:l2"], Volume("data"), Volume("logs"), new MountSetting { Type = MountType.Bind, Source = "/srv", Target = "/srv" });
        Add("db", "sha256:img2", ["sha256:l1", "sha256:l3"], Volume("data"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void NamesTheContainersMadeFromAnImage()
    {
        Assert.Equal(["web"], _usage.ContainersUsing("sha256:img1"));
        Assert.Empty(_usage.ContainersUsing("sha256:other"));
    }

    [Fact]
    public void ListsEveryLayerContainersStack()
    {
        Assert.Equal(["sha256:l1", "sha256:l2", "sha256:l3"], _usage.LayersInUse().Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MapsVolumesToTheContainersThatMountThemButNotBindMounts()
    {
        var users = _usage.ByVolume();
        Assert.Equal(["data", "logs"], users.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["db", "web"], users["data"].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LeavesOutTheContainerBeingRemoved()
    {
        var web = _store.List().Single(c => c.Name == "web");
        var users = _usage.ByVolume(exceptId: web.Id);
        Assert.Equal(["db"], users["data"]);
        Assert.False(users.ContainsKey("logs"));
    }

    private static MountSetting Volume(string name) => new() { Type = MountType.Volume, Source = name, Target = "/" + name };

    private void Add(string name, string imageId, List<string> layers, params MountSetting[] mounts) =>
        _store.Add(new ContainerRecord
        {
            Id = RecordId.New(),
            Name = name,
            ImageId = imageId,
            Layers = layers,
            Settings = new ContainerSettings { Mounts = [.. mounts] },
        });
}
