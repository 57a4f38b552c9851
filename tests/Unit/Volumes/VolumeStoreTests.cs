using PSContainer.Engine;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Volumes;

namespace PSContainer.Tests.Volumes;

public sealed class VolumeStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pscontainer-volumes-").FullName;
    private readonly StoreLayout _layout;
    private readonly VolumeStore _store;

    public VolumeStoreTests()
    {
        _layout = new StoreLayout(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        _layout.EnsureCreated();
        _store = new VolumeStore(_layout);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AddsListsSavesAndDeletes()
    {
        _store.Add(new VolumeRecord { Name = "data", Created = DateTimeOffset.UtcNow, Labels = { ["k"] = "v" } });
        var data = _store.PathsOf("data").Data;
        Assert.Equal(Path.Combine(_layout.VolumesDir, "data", "_data"), data);
        Assert.True(Directory.Exists(data));
        Assert.Equal(0x1EDu, (uint)File.GetUnixFileMode(data));
        Assert.Equal("v", _store.Get("data")!.Labels["k"]);

        var record = _store.Get("data")!;
        record.CopiedUp = true;
        _store.Save(record);
        Assert.True(_store.Get("data")!.CopiedUp);

        Assert.Equal(["data"], _store.List().Select(v => v.Name));
        _store.Delete("data");
        Assert.Empty(_store.List());
        Assert.Empty(Directory.GetFileSystemEntries(_layout.VolumesDir));
    }

    [Theory]
    [InlineData("../containers")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData(".new-data")]
    public void NamesNeverLeadOutOfTheVolumesDirectory(string name)
    {
        Assert.Null(_store.Get(name));
        Assert.Equal("InvalidVolumeName", Assert.Throws<EngineException>(() => _store.PathsOf(name)).ErrorId);
    }

    [Fact]
    public void RepairRemovesHalfMadeVolumes()
    {
        Directory.CreateDirectory(Path.Combine(_layout.VolumesDir, ".new-half", "_data"));
        Directory.CreateDirectory(Path.Combine(_layout.VolumesDir, ".gone-old"));
        _store.Repair();
        Assert.Empty(Directory.GetFileSystemEntries(_layout.VolumesDir));
    }
}
