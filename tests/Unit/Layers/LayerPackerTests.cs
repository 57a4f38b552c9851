using System.Formats.Tar;
using PSContainer.Engine;
using PSContainer.Engine.Layers;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Tests.Layers;

public sealed class LayerPackerTests : IDisposable
{
    // VFS_CAP_REVISION_2 with cap_setgid and cap_setuid permitted and effective: bytes above 0x7f, which UTF-8 would mangle.
    private static readonly byte[] Capability = [0x01, 0x00, 0x00, 0x02, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly string LongName = "deep/" + string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 8)) + "/file";

    private readonly LayerSandbox _first = new();
    private readonly LayerSandbox _second = new();

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    private static TarBuilder SampleLayer() => new TarBuilder()
        .Dir("etc/").File("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
        .Dir("tmp/", (UnixFileMode)0x3FF)
        .File("bin/busybox", "elf", (UnixFileMode)0x1ED)
        .HardLink("bin/ls", "bin/busybox")
        .Symlink("bin/sh", "busybox")
        .File("bin/su", "su", (UnixFileMode)0x9ED)
        .File("bin/ping", "ping", (UnixFileMode)0x1ED, pax: new() { ["SCHILY.xattr.user.origin"] = "test" })
        .File("home/user/notes", "n", uid: 1000, gid: 1000)
        .File("home/user/big-ids", "b", uid: 3_000_000, gid: 3_000_001)
        .File("ünïcode/файл", "u")
        .File(LongName, "long")
        .Node("dev/null", TarEntryType.CharacterDevice, 1, 3)
        .Node("dev/sda", TarEntryType.BlockDevice, 8, 0)
        .Node("run/fifo", TarEntryType.Fifo)
        .Dir("usr/").File("usr/.wh.old")
        .Dir("var/cache/").File("var/cache/.wh..wh..opq").File("var/cache/kept", "k");

    private static byte[] Pack(string directory)
    {
        var output = new MemoryStream();
        LayerPacker.Pack(directory, output);
        return output.ToArray();
    }

    [Fact]
    public void UnpackPackUnpackGivesTheSameTree()
    {
        LayerUnpacker.Unpack(new MemoryStream(SampleLayer().Build()), _first.Target, default);
        LayerXattrs.Set(_first.In("bin/ping"), "security.capability", Capability);

        var packed = Pack(_first.Target);
        LayerUnpacker.Unpack(new MemoryStream(packed), _second.Target, default);

        var expected = TreeSnapshot.Of(_first.Target);
        Assert.Equal(expected, TreeSnapshot.Of(_second.Target));
        Assert.Contains(expected, line => line.StartsWith("bin/ls ", StringComparison.Ordinal) && line.Contains("linked-to=bin/busybox"));
        Assert.Equal(Capability, LayerXattrs.Get(_second.In("bin/ping"), "security.capability"));
        Assert.True(OverlayWhiteout.IsWhiteout(_second.In("usr/old")));
        Assert.True(OverlayWhiteout.IsOpaque(_second.In("var/cache")));
    }

    [Fact]
    public void PackingIsReproducibleAndReadableByOtherReaders()
    {
        LayerUnpacker.Unpack(new MemoryStream(SampleLayer().Build()), _first.Target, default);
        var packed = Pack(_first.Target);
        Assert.Equal(packed, Pack(_first.Target));

        var entries = new Dictionary<string, TarEntry>();
        using var reader = new TarReader(new MemoryStream(packed));
        while (reader.GetNextEntry() is { } entry)
            entries.Add(entry.Name, entry);
        Assert.Equal(TarEntryType.HardLink, entries["bin/ls"].EntryType);
        Assert.Equal("bin/busybox", entries["bin/ls"].LinkName);
        Assert.Equal(TarEntryType.RegularFile, entries["usr/.wh.old"].EntryType);
        Assert.Equal(TarEntryType.RegularFile, entries["var/cache/.wh..wh..opq"].EntryType);
        Assert.Equal(TarEntryType.Directory, entries["var/cache/"].EntryType);
        Assert.True(entries.ContainsKey(LongName));
        Assert.Equal(3_000_000, entries["home/user/big-ids"].Uid);
        Assert.DoesNotContain(entries.Values.OfType<PaxTarEntry>().SelectMany(e => e.ExtendedAttributes.Keys), k => k.Contains("overlay", StringComparison.Ordinal));
    }

    [Fact]
    public void EntriesComeInNameOrderWithOpaqueMarkerAfterItsDirectory()
    {
        Directory.CreateDirectory(_first.In("b"));
        Directory.CreateDirectory(_first.In("a/z"));
        File.WriteAllText(_first.In("a/y"), "");
        File.WriteAllText(_first.In("c"), "");
        OverlayWhiteout.MarkOpaque(_first.In("a"));

        var names = new List<string>();
        using var reader = new TarReader(new MemoryStream(Pack(_first.Target)));
        while (reader.GetNextEntry() is { } entry)
            names.Add(entry.Name);
        Assert.Equal(["a/", "a/.wh..wh..opq", "a/y", "a/z/", "b/", "c"], names);
    }

    [Fact]
    public void RedirectedDirectoriesAreRefused()
    {
        Directory.CreateDirectory(_first.In("moved"));
        LayerXattrs.Set(_first.In("moved"), "trusted.overlay.redirect", "/old"u8.ToArray());
        var error = Assert.Throws<EngineException>(() => Pack(_first.Target));
        Assert.Equal("UnsupportedOverlayDiff", error.ErrorId);
    }
}
