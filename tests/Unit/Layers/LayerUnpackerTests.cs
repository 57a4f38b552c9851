using System.Formats.Tar;
using System.Text;
using PSContainer.Engine;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Tests.Layers;

public sealed class LayerUnpackerTests : IDisposable
{
    private readonly LayerSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private long Unpack(TarBuilder tar) => LayerUnpacker.Unpack(new MemoryStream(tar.Build()), _sandbox.Target, default);

    [Fact]
    public void WhiteoutBecomesCharacterDeviceZeroZero()
    {
        Unpack(new TarBuilder().Dir("etc/").File("etc/.wh.passwd"));
        var stat = _sandbox.Stat("etc/passwd");
        Assert.Equal(Libc.S_IFCHR, stat.FileType);
        Assert.Equal((0u, 0u), (stat.RdevMajor, stat.RdevMinor));
        Assert.False(File.Exists(_sandbox.In("etc/.wh.passwd")));
    }

    [Fact]
    public void OpaqueMarkerSetsXattrAndKeepsSiblingsOfItsOwnLayer()
    {
        Unpack(new TarBuilder().Dir("d/").File("d/keep", "k").File("d/.wh..wh..opq").File("e/.wh..wh..opq"));
        Assert.True(OverlayWhiteout.IsOpaque(_sandbox.In("d")));
        Assert.True(OverlayWhiteout.IsOpaque(_sandbox.In("e")));
        Assert.Equal("k", File.ReadAllText(_sandbox.In("d/keep")));
        Assert.Equal(["keep"], Directory.GetFileSystemEntries(_sandbox.In("d")).Select(Path.GetFileName));
    }

    [Fact]
    public void WhiteoutDoesNotHideItsOwnLayerAndReservedNamesAreIgnored()
    {
        Unpack(new TarBuilder().File("a", "mine").File(".wh.a").File(".wh..wh.plnk"));
        Assert.Equal("mine", File.ReadAllText(_sandbox.In("a")));
        Assert.Equal(["a"], Directory.GetFileSystemEntries(_sandbox.Target).Select(Path.GetFileName));
    }

    [Fact]
    public void DirectoryRecreatedOverItsWhiteoutIsOpaque()
    {
        Unpack(new TarBuilder().File(".wh.d").Dir("d/").File("d/new"));
        Assert.Equal(Libc.S_IFDIR, _sandbox.Stat("d").FileType);
        Assert.True(OverlayWhiteout.IsOpaque(_sandbox.In("d")));
    }

    [Fact]
    public void HardLinkSharesTheInode()
    {
        Unpack(new TarBuilder().File("a", "x").Dir("sub/").HardLink("sub/b", "./a"));
        var a = _sandbox.Stat("a");
        var b = _sandbox.Stat("sub/b");
        Assert.Equal(a.Ino, b.Ino);
        Assert.Equal(2u, a.Nlink);
    }

    [Fact]
    public void SymlinkIsKeptAndNotFollowed()
    {
        Unpack(new TarBuilder().Symlink("l", "/etc/passwd").Symlink("r", "../../x"));
        Assert.Equal(Libc.S_IFLNK, _sandbox.Stat("l").FileType);
        Assert.Equal("/etc/passwd", new FileInfo(_sandbox.In("l")).LinkTarget);
        Assert.Equal("../../x", new FileInfo(_sandbox.In("r")).LinkTarget);
    }

    [Fact]
    public void ModeBitsOwnersAndMtimesAreKept()
    {
        Unpack(new TarBuilder()
            .Dir("tmp/", (UnixFileMode)0x3FF) // 01777
            .Dir("bin/")
            .File("bin/su", "su", (UnixFileMode)0x9ED, uid: 1234, gid: 5678)); // 04755
        var su = _sandbox.Stat("bin/su");
        Assert.Equal(0x9EDu, su.Mode & 0xFFFu);
        Assert.Equal((1234u, 5678u), (su.Uid, su.Gid));
        Assert.Equal(TarBuilder.Epoch2020.ToUnixTimeSeconds(), su.MtimeSeconds);
        Assert.Equal(0x3FFu, _sandbox.Stat("tmp").Mode & 0xFFFu);
        // Written before its content, yet the directory keeps the tar's mtime.
        Assert.Equal(TarBuilder.Epoch2020.ToUnixTimeSeconds(), _sandbox.Stat("bin").MtimeSeconds);
    }

    [Fact]
    public void XattrsAreKeptButOverlayOnesDropped()
    {
        var pax = new Dictionary<string, string>
        {
            ["SCHILY.xattr.user.keep"] = "v",
            ["SCHILY.xattr.trusted.overlay.opaque"] = "y",
            ["SCHILY.xattr.trusted.overlay.redirect"] = "/x",
            ["SCHILY.xattr.user.overlay.opaque"] = "y",
        };
        Unpack(new TarBuilder().Dir("d/", pax: pax).File("f", pax: pax));
        foreach (var path in new[] { "d", "f" })
        {
            var xattrs = LayerXattrs.Read(_sandbox.In(path));
            Assert.Equal(["user.keep"], xattrs.Keys);
            Assert.Equal("v", Encoding.UTF8.GetString(xattrs["user.keep"]));
        }
        Assert.False(OverlayWhiteout.IsOpaque(_sandbox.In("d")));
    }

    [Fact]
    public void LaterEntriesWin()
    {
        Unpack(new TarBuilder()
            .File("x", "file").Dir("x/").File("x/y", "y")
            .Dir("d/").File("d/in").File("d", "now a file")
            .Dir("k/").File("k/f", "kept").Dir("k/", (UnixFileMode)0x1C0)
            .Symlink("s", "/etc").File("s", "plain"));
        Assert.Equal("y", File.ReadAllText(_sandbox.In("x/y")));
        Assert.Equal("now a file", File.ReadAllText(_sandbox.In("d")));
        Assert.Equal("kept", File.ReadAllText(_sandbox.In("k/f")));
        Assert.Equal(0x1C0u, _sandbox.Stat("k").Mode & 0xFFFu);
        Assert.Equal(Libc.S_IFREG, _sandbox.Stat("s").FileType);
    }

    [Fact]
    public void ReplacingADirectoryDoesNotFollowSymlinksInside()
    {
        Unpack(new TarBuilder().Dir("d/").Symlink("d/out", _sandbox.Outside).File("d", "file"));
        _sandbox.AssertNothingEscaped();
    }

    [Fact]
    public void DeviceNodesAndFifosAreCreated()
    {
        Unpack(new TarBuilder()
            .Node("dev/null", TarEntryType.CharacterDevice, 1, 3)
            .Node("dev/loop0", TarEntryType.BlockDevice, 7, 0)
            .Node("run/fifo", TarEntryType.Fifo));
        var nul = _sandbox.Stat("dev/null");
        Assert.Equal((Libc.S_IFCHR, 1u, 3u), (nul.FileType, nul.RdevMajor, nul.RdevMinor));
        Assert.Equal(0x1B6u, nul.Mode & 0xFFFu);
        Assert.Equal(Libc.S_IFBLK, _sandbox.Stat("dev/loop0").FileType);
        Assert.Equal(Libc.S_IFIFO, _sandbox.Stat("run/fifo").FileType);
    }

    [Fact]
    public void NamesAreNormalizedAndLongNamesWork()
    {
        var longName = string.Join('/', Enumerable.Repeat("segment-of-forty-characters-long-xxxxxxx", 6));
        var total = Unpack(new TarBuilder().File("./a", "abc").File("/b/c", "de").File(longName, "z"));
        Assert.Equal(6, total);
        Assert.Equal("abc", File.ReadAllText(_sandbox.In("a")));
        Assert.Equal("de", File.ReadAllText(_sandbox.In("b/c")));
        Assert.Equal("z", File.ReadAllText(_sandbox.In(longName)));
    }

    [Fact]
    public void OverlongNameIsRefused()
    {
        var error = Assert.Throws<EngineException>(() => Unpack(new TarBuilder().File(new string('a', 4097))));
        Assert.Equal("UnsafeLayerPath", error.ErrorId);
    }

    [Fact]
    public void UnsupportedEntryTypeIsRefused()
    {
        var tar = TarBuilder.WithTypeFlag('M');
        var error = Assert.Throws<EngineException>(() => LayerUnpacker.Unpack(new MemoryStream(tar), _sandbox.Target, default));
        Assert.Equal("UnsupportedLayerEntry", error.ErrorId);
    }
}
