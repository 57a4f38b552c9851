using PSContainer.Engine;
using PSContainer.Engine.Interop;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Tests.FileSystem;

public sealed class TreeCopierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pscontainer-copy-").FullName;

    public TreeCopierTests()
    {
        Directory.CreateDirectory(Src());
        Directory.CreateDirectory(Dst());
        Directory.CreateDirectory(Outside());
        File.WriteAllText(Outside("marker"), "original");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Src(string relative = "") => Path.Combine(_dir, "src", relative).TrimEnd('/');

    private string Dst(string relative = "") => Path.Combine(_dir, "dst", relative).TrimEnd('/');

    private string Outside(string relative = "") => Path.Combine(_dir, "outside", relative).TrimEnd('/');

    private static Libc.Statx Stat(string path) => Libc.LStat(path) ?? throw new Xunit.Sdk.XunitException($"{path} does not exist");

    private void AssertOutsideUntouched()
    {
        Assert.Equal([Outside("marker")], Directory.GetFileSystemEntries(Outside()));
        Assert.Equal("original", File.ReadAllText(Outside("marker")));
    }

    [Fact]
    public void KeepsModesOwnersTimesLinksAndNodes()
    {
        Directory.CreateDirectory(Src("tree/sub"));
        File.WriteAllText(Src("tree/sub/file"), "content");
        Libc.Check(Libc.lchown(Src("tree/sub/file"), 1000, 50), "chown", "file");
        Libc.Check(Libc.chmod(Src("tree/sub/file"), 0x9ED), "chmod", "file"); // 4755, after chown, which clears it
        Libc.Check(Libc.chmod(Src("tree/sub"), 0x1C0), "chmod", "sub"); // 0700
        File.SetLastWriteTimeUtc(Src("tree/sub/file"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        File.CreateSymbolicLink(Src("tree/abs"), "/root/secret");
        File.CreateSymbolicLink(Src("tree/rel"), "sub/file");
        Libc.Check(Libc.linkat(Libc.AT_FDCWD, Src("tree/sub/file"), Libc.AT_FDCWD, Src("tree/hard"), 0), "link", "hard");
        Libc.Check(Libc.mknod(Src("tree/fifo"), Libc.S_IFIFO | 0x1A4, 0), "mknod", "fifo");
        LayerXattrs.Set(Src("tree/sub/file"), "user.origin", "test"u8.ToArray());

        TreeCopier.Copy(Src("tree"), Dst("tree"), CancellationToken.None);

        var file = Stat(Dst("tree/sub/file"));
        Assert.Equal("content", File.ReadAllText(Dst("tree/sub/file")));
        Assert.Equal(0x9EDu, file.Mode & 0xFFFu);
        Assert.Equal((1000u, 50u), (file.Uid, file.Gid));
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Dst("tree/sub/file")));
        Assert.Equal(0x1C0u, Stat(Dst("tree/sub")).Mode & 0xFFFu);
        Assert.Equal("/root/secret", new FileInfo(Dst("tree/abs")).LinkTarget);
        Assert.Equal("sub/file", new FileInfo(Dst("tree/rel")).LinkTarget);
        Assert.Equal(file.Ino, Stat(Dst("tree/hard")).Ino);
        Assert.Equal(Libc.S_IFIFO, Stat(Dst("tree/fifo")).FileType);
        Assert.Equal("test"u8.ToArray(), LayerXattrs.Get(Dst("tree/sub/file"), "user.origin"));
    }

    [Fact]
    public void ASymlinkAtTheDestinationIsReplacedNotWrittenThrough()
    {
        File.WriteAllText(Src("passwd"), "new");
        File.CreateSymbolicLink(Dst("passwd"), Outside("marker"));

        TreeCopier.Copy(Src("passwd"), Dst("passwd"), CancellationToken.None);

        Assert.Equal(Libc.S_IFREG, Stat(Dst("passwd")).FileType);
        Assert.Equal("new", File.ReadAllText(Dst("passwd")));
        AssertOutsideUntouched();
    }

    [Fact]
    public void ADirectorySymlinkAtTheDestinationIsReplacedByTheDirectory()
    {
        Directory.CreateDirectory(Src("tree/x"));
        File.WriteAllText(Src("tree/x/planted"), "p");
        Directory.CreateDirectory(Dst("tree"));
        File.CreateSymbolicLink(Dst("tree/x"), Outside());

        TreeCopier.CopyChildren(Src("tree"), Dst("tree"), CancellationToken.None);

        Assert.Equal(Libc.S_IFDIR, Stat(Dst("tree/x")).FileType);
        Assert.Equal("p", File.ReadAllText(Dst("tree/x/planted")));
        AssertOutsideUntouched();
    }

    [Fact]
    public void SymlinksInTheSourceAreCopiedAsLinksNeverFollowed()
    {
        Directory.CreateDirectory(Src("tree"));
        File.CreateSymbolicLink(Src("tree/evil"), "/");
        File.CreateSymbolicLink(Src("tree/marker"), Outside("marker"));

        TreeCopier.Copy(Src("tree"), Dst("tree"), CancellationToken.None);

        Assert.Equal(Libc.S_IFLNK, Stat(Dst("tree/evil")).FileType);
        Assert.Equal(Libc.S_IFLNK, Stat(Dst("tree/marker")).FileType);
        Assert.Equal(["evil", "marker"], Directory.GetFileSystemEntries(Dst("tree")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ANonDirectoryNeverReplacesADirectory()
    {
        File.WriteAllText(Src("etc"), "file");
        Directory.CreateDirectory(Dst("etc"));
        var error = Assert.Throws<EngineException>(() => TreeCopier.Copy(Src("etc"), Dst("etc"), CancellationToken.None, "/etc"));
        Assert.Equal("CannotOverwriteDirectory", error.ErrorId);
        Assert.Contains("/etc", error.Message);
        Assert.DoesNotContain(_dir, error.Message);
    }

    [Fact]
    public void CopyingChildrenLeavesTheDestinationsOwnMetadata()
    {
        File.WriteAllText(Src("a"), "a");
        Libc.Check(Libc.chmod(Src(), 0x1C0), "chmod", "src");
        Libc.Check(Libc.chmod(Dst(), 0x1ED), "chmod", "dst");

        TreeCopier.CopyChildren(Src(), Dst(), CancellationToken.None);

        Assert.Equal("a", File.ReadAllText(Dst("a")));
        Assert.Equal(0x1EDu, Stat(Dst()).Mode & 0xFFFu);
    }

    [Fact]
    public void CopyingOntoADirectoryMergesAndTakesItsMetadata()
    {
        Directory.CreateDirectory(Src("d"));
        File.WriteAllText(Src("d/new"), "n");
        Libc.Check(Libc.chmod(Src("d"), 0x1C0), "chmod", "d");
        Directory.CreateDirectory(Dst("d"));
        File.WriteAllText(Dst("d/kept"), "k");

        TreeCopier.Copy(Src("d"), Dst("d"), CancellationToken.None);

        Assert.Equal(["kept", "new"], Directory.GetFileSystemEntries(Dst("d")).Select(Path.GetFileName).Order());
        Assert.Equal(0x1C0u, Stat(Dst("d")).Mode & 0xFFFu);
    }
}
