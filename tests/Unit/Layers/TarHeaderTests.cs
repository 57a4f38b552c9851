using System.Text;
using PSContainer.Engine;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Layers;

namespace PSContainer.Tests.Layers;

/// <summary>Headers judged as Go's archive/tar (and so Docker) judges them, where System.Formats.Tar alone would differ.</summary>
public sealed class TarHeaderTests : IDisposable
{
    private const long Nobody = 4294967294; // (uid_t)-2, "nobody" on some systems
    private readonly LayerSandbox _sandbox = new();

    // The latest time .NET holds, as this file system stores it (ext4 stops in 2446).
    private long MaxSeconds
    {
        get
        {
            var reference = Path.Combine(_sandbox.Outside, "latest");
            File.WriteAllText(reference, "");
            File.SetLastWriteTimeUtc(reference, DateTime.MaxValue);
            var seconds = PSContainer.Engine.Interop.Libc.LStat(reference)!.Value.MtimeSeconds;
            File.Delete(reference);
            return seconds;
        }
    }

    public void Dispose() => _sandbox.Dispose();

    private void Unpack(byte[] tar) => LayerUnpacker.Unpack(new MemoryStream(tar), _sandbox.Target, default);

    private EngineException Refused(byte[] tar) => Assert.Throws<EngineException>(() => Unpack(tar));

    [Fact]
    public void PaxIdsUpToTwoToTheThirtyTwoAreKept()
    {
        Unpack(new RawTar()
            .Pax(RawTar.Record("uid", Nobody.ToString()), RawTar.Record("gid", "3000000000"))
            .Entry("owned", '0', "x"u8.ToArray())
            .Build());
        var stat = _sandbox.Stat("owned");
        Assert.Equal((uint)Nobody, stat.Uid);
        Assert.Equal(3000000000u, stat.Gid);
    }

    [Fact]
    public void Base256IdsUpToTwoToTheThirtyTwoAreKept()
    {
        Unpack(new RawTar().Entry("owned", '0', "x"u8.ToArray(), uid: Nobody, gid: 3000000000, gnu: true).Build());
        var stat = _sandbox.Stat("owned");
        Assert.Equal((uint)Nobody, stat.Uid);
        Assert.Equal(3000000000u, stat.Gid);
    }

    [Fact]
    public void APaxTimeBeyondDotNetsRangeIsClamped()
    {
        Unpack(new RawTar()
            .Pax(RawTar.Record("mtime", "99999999999999999999.5"), RawTar.Record("atime", "123456789012345678901234567890"))
            .Entry("future", '0', "x"u8.ToArray())
            .Build());
        Assert.Equal(MaxSeconds, _sandbox.Stat("future").MtimeSeconds);
    }

    [Fact]
    public void ABase256TimeBeyondDotNetsRangeIsClamped()
    {
        Unpack(new RawTar().Entry("future", '0', "x"u8.ToArray(), mtime: long.MaxValue, gnu: true).Build());
        Assert.Equal(MaxSeconds, _sandbox.Stat("future").MtimeSeconds);
    }

    [Fact]
    public void OrdinaryIdsAndTimesAreUnchanged()
    {
        Unpack(new RawTar()
            .Pax(RawTar.Record("uid", "1000"), RawTar.Record("mtime", "1600000000.25"))
            .Entry("plain", '0', "x"u8.ToArray(), gid: 50)
            .Build());
        var stat = _sandbox.Stat("plain");
        Assert.Equal((1000u, 50u, 1600000000L, 250000000u), (stat.Uid, stat.Gid, stat.MtimeSeconds, stat.MtimeNanoseconds));
    }

    [Fact]
    public void AHeaderWithAWrongChecksumIsRefused()
    {
        var tar = new RawTar().Entry("a", '0', "x"u8.ToArray()).Build();
        tar[0] = (byte)'b'; // the name changed after the checksum was computed
        Assert.Equal("CorruptLayer", Refused(tar).ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_sandbox.Target));
    }

    [Fact]
    public void APaxHeaderWithAWrongChecksumIsRefused()
    {
        var tar = new RawTar().Pax(RawTar.Record("path", "long/name")).Entry("a", '0', "x"u8.ToArray()).Build();
        tar[148] = (byte)'7';
        Assert.Equal("CorruptLayer", Refused(tar).ErrorId);
    }

    [Fact]
    public void AChecksumOfSignedBytesIsAccepted()
    {
        // Old tars summed the header as signed chars; Go accepts either sum, and so does the unpacker.
        var tar = new RawTar().Entry("caf\u00e9", '0', "x"u8.ToArray()).Build();
        tar.AsSpan(148, 8).Fill((byte)' ');
        var signed = tar.AsSpan(0, 512).ToArray().Sum(b => (sbyte)b);
        Encoding.ASCII.GetBytes(Convert.ToString(signed, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, 148);
        Unpack(tar);
        Assert.Equal("x", File.ReadAllText(_sandbox.In("caf\u00e9")));
    }

    [Fact]
    public void WhatFollowsTheEndOfTheArchiveIsNotParsed()
    {
        var tar = new RawTar().Entry("a", '0', "x"u8.ToArray()).Build().Concat(Enumerable.Repeat((byte)0x5A, 1024)).ToArray();
        Unpack(tar);
        Assert.Equal("x", File.ReadAllText(_sandbox.In("a")));
    }

    [Fact]
    public void AnXattrValueHoldingANewlineKeepsItsBytes()
    {
        // System.Formats.Tar splits PAX records at newlines; the value must still reach the file whole.
        byte[] value = [0x01, 0x0A, 0x00, 0xFF, 0x0A];
        Unpack(new RawTar().Pax(("SCHILY.xattr.user.binary", value), RawTar.Record("path", "named")).Entry("n", '0', "x"u8.ToArray()).Build());
        Assert.Equal(value, LayerXattrs.Read(_sandbox.In("named"))["user.binary"]);
    }

    [Theory]
    [InlineData("gnu name, then pax")]
    [InlineData("pax, then gnu link")]
    [InlineData("pax, then global")]
    public void AnEntryWithBothPaxAndGnuLongHeadersIsRefused(string mix)
    {
        var tar = new RawTar();
        if (mix == "gnu name, then pax") tar.GnuLong('L', "gnu/name").Pax(RawTar.Record("path", "pax/name"));
        if (mix == "pax, then gnu link") tar.Pax(RawTar.Record("path", "pax/name")).GnuLong('K', "gnu/link");
        if (mix == "pax, then global") tar.Pax(RawTar.Record("path", "pax/name")).Entry("global", 'g', Encoding.UTF8.GetBytes("19 comment=ignored\n"));
        tar.Entry("short", '0', "x"u8.ToArray(), gnu: true);
        Assert.Equal("CorruptLayer", Refused(tar.Build()).ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_sandbox.Target));
    }

    [Fact]
    public void AnEntryInsideAFileTheLayerMadeIsRefused()
    {
        var tar = new TarBuilder().File("etc", "a file").File("etc/passwd", "root:x:0:0").Build();
        var error = Refused(tar);
        Assert.Equal("CorruptLayer", error.ErrorId);
        Assert.Contains("etc/passwd", error.Message);
        _sandbox.AssertNothingEscaped();
    }

    [Fact]
    public void AnEntryInsideAPathTheLayerWhitedOutMakesAnOpaqueDirectory()
    {
        Unpack(new TarBuilder().File(".wh.etc").File("etc/passwd", "root:x:0:0").Build());
        Assert.Equal("root:x:0:0", File.ReadAllText(_sandbox.In("etc/passwd")));
        Assert.True(OverlayWhiteout.IsOpaque(_sandbox.In("etc")));
    }

    [Fact]
    public void ADirectoryEntryMayStillReplaceAFile()
    {
        Unpack(new TarBuilder().File("etc", "a file").Dir("etc/").File("etc/passwd", "root").Build());
        Assert.Equal("root", File.ReadAllText(_sandbox.In("etc/passwd")));
    }
}
