using PSContainer.Engine.Build;
using PSContainer.Engine.Interop;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Build;

public sealed class BuildFileCopierTests : IDisposable
{
    private readonly ScratchDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CopyThroughASymlinkInTheImage_StaysInsideTheRoot()
    {
        var root = _dir.Dir("root");
        var source = _dir.Write("context/file.txt", "data");
        File.CreateSymbolicLink(Path.Combine(root, "app"), "/../../outside");
        var copier = new BuildFileCopier(root, null, null, default);
        copier.Copy(source, "/app/file.txt", keepOwner: false);
        copier.Finish();
        Assert.Equal("data", File.ReadAllText(Path.Combine(root, "outside/file.txt")));
        Assert.False(Directory.Exists(_dir["outside"]));
    }

    [Fact]
    public void ChownAndChmod_ApplyToEveryEntry_AndCreatedParents()
    {
        var root = _dir.Dir("root");
        _dir.Write("context/dir/a.txt", "a");
        var copier = new BuildFileCopier(root, (1000, 50), 0x1C0u, default);
        copier.CopyChildren(_dir["context/dir"], "/deep/target", keepOwner: false);
        copier.Finish();
        var file = Libc.LStat(Path.Combine(root, "deep/target/a.txt"))!.Value;
        Assert.Equal((1000u, 50u, 0x1C0u), (file.Uid, file.Gid, file.Mode & 0xFFFu));
        var parent = Libc.LStat(Path.Combine(root, "deep"))!.Value;
        Assert.Equal((1000u, 50u), (parent.Uid, parent.Gid));
    }

    [Fact]
    public void ContextSymlinks_AreCopiedAsSymlinks_AndOwnersReset()
    {
        var root = _dir.Dir("root");
        _dir.Write("context/real", "r");
        File.CreateSymbolicLink(_dir["context/link"], "/etc/passwd");
        var copier = new BuildFileCopier(root, null, null, default);
        copier.CopyChildren(_dir["context"], "/dst", keepOwner: false);
        copier.Finish();
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(root, "dst/link")).LinkTarget);
        Assert.Equal(0u, Libc.LStat(Path.Combine(root, "dst/real"))!.Value.Uid);
    }
}
