using System.Formats.Tar;
using System.IO.Compression;
using PSContainer.Engine.Build;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Storage;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Build;

public sealed class LayerCommitterTests : IDisposable
{
    private readonly ScratchDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void UpperDirectory_BecomesAGzipLayer_WithWhiteoutsOpaqueDirsHardLinksModesAndOwners()
    {
        var layout = new StoreLayout(_dir["store"], _dir["run"]);
        layout.EnsureCreated();
        var content = new ContentStore(layout.BlobsDir, layout.TempDir);
        var layers = new LayerStore(layout);
        var upper = _dir.Dir("upper");
        _dir.Write("upper/etc/app.conf", "conf");
        File.SetUnixFileMode(_dir["upper/etc/app.conf"], (UnixFileMode)0x1A0);
        Libc.Check(Libc.lchown(_dir["upper/etc/app.conf"], 1000, 50), "chown", "");
        Libc.Check(Libc.linkat(Libc.AT_FDCWD, _dir["upper/etc/app.conf"], Libc.AT_FDCWD, _dir["upper/etc/same.conf"], 0), "link", "");
        OverlayWhiteout.Create(_dir["upper/etc/removed"]);
        _dir.Write("upper/var/cache/new", "n");
        OverlayWhiteout.MarkOpaque(_dir["upper/var/cache"]);

        var layer = LayerCommitter.Commit(content, layers, upper, null);

        Assert.False(Directory.Exists(upper));
        Assert.True(layers.Exists(layer.DiffId));
        var entries = new Dictionary<string, TarEntry>();
        using (var gzip = new GZipStream(content.OpenRead(Digest.Parse(layer.Digest)), CompressionMode.Decompress))
        using (var hashing = new HashingReadStream(gzip))
        {
            var reader = new TarReader(hashing);
            while (reader.GetNextEntry() is { } entry) entries[entry.Name] = entry;
            Assert.Equal(layer.DiffId, hashing.Finish().ToString());
        }
        Assert.Equal(TarEntryType.RegularFile, entries["etc/.wh.removed"].EntryType);
        Assert.True(entries.ContainsKey("var/cache/.wh..wh..opq"));
        Assert.Equal(TarEntryType.HardLink, entries["etc/same.conf"].EntryType);
        Assert.Equal("etc/app.conf", entries["etc/same.conf"].LinkName);
        var conf = entries["etc/app.conf"];
        Assert.Equal((UnixFileMode)0x1A0, conf.Mode);
        Assert.Equal((1000, 50), (conf.Uid, conf.Gid));
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", layer.MediaType);
    }
}
