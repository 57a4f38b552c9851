using PSContainer.Engine.Containers;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;

namespace PSContainer.Tests.Volumes;

/// <summary>docker diff over hand-made overlay directories: two image layers and a writable upper layer.</summary>
public sealed class ContainerChangesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pscontainer-diff-").FullName;

    public ContainerChangesTests()
    {
        // Base layer.
        Write("base/etc/passwd", "root");
        Write("base/etc/group", "root");
        Write("base/bin/vi", "vi");
        Write("base/var/cache/a", "a");
        Write("base/var/cache/b", "b");
        Write("base/opt/old", "old");
        // Second layer deletes /opt/old and replaces /var/cache/b.
        Directory.CreateDirectory(Path.Combine(_dir, "top/opt"));
        OverlayWhiteout.Create(Path.Combine(_dir, "top/opt/old"));
        Write("top/var/cache/b", "b2");
        Directory.CreateDirectory(Path.Combine(_dir, "upper"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string Upper(string relative) => Path.Combine(_dir, "upper", relative);

    private List<string> Changes(params string[] mountPoints) =>
        ContainerChanges.Compute(Path.Combine(_dir, "upper"), [Path.Combine(_dir, "top"), Path.Combine(_dir, "base")], mountPoints)
            .Select(c => c.ToString()).ToList();

    [Fact]
    public void NoChangesInAnEmptyUpperLayer() => Assert.Empty(Changes());

    [Fact]
    public void ReportsAddedChangedAndDeleted()
    {
        Write("upper/etc/passwd", "root\nwww");
        Write("upper/srv/new/file", "n");
        Directory.CreateDirectory(Upper("bin"));
        OverlayWhiteout.Create(Upper("bin/vi"));

        Assert.Equal(["C /bin", "D /bin/vi", "C /etc", "C /etc/passwd", "A /srv", "A /srv/new", "A /srv/new/file"], Changes());
    }

    [Fact]
    public void APathALowerLayerDeletedIsAnAddition()
    {
        Write("upper/opt/old", "back");
        Assert.Equal(["C /opt", "A /opt/old"], Changes());
    }

    [Fact]
    public void AnOpaqueDirectoryDeletesWhatTheImageHadInIt()
    {
        Write("upper/var/cache/fresh", "f");
        OverlayWhiteout.MarkOpaque(Upper("var/cache"));
        Assert.Equal(["C /var", "C /var/cache", "D /var/cache/a", "D /var/cache/b", "A /var/cache/fresh"], Changes());
    }

    [Fact]
    public void ADirectoryWhoseModeChangedIsAChange()
    {
        Directory.CreateDirectory(Upper("etc"));
        Libc.Check(Libc.chmod(Upper("etc"), 0x1C0), "chmod", "etc");
        Assert.Equal(["C /etc"], Changes());
    }

    [Fact]
    public void MountPointsTheRuntimeMadeAreLeftOut()
    {
        Write("upper/etc/hostname", "");
        Directory.CreateDirectory(Upper("data/deep"));
        Write("upper/kept/file", "k");
        Assert.Equal(["A /kept", "A /kept/file"], Changes("/etc/hostname", "/data/deep", "/proc"));
    }

    [Fact]
    public void SymlinksInLayersAreNotFollowed()
    {
        // A layer with /srv -> / must not make host files look like image files.
        File.CreateSymbolicLink(Path.Combine(_dir, "top/srv"), "/");
        Write("upper/srv/etc/passwd", "x");
        Assert.Equal(["C /srv", "A /srv/etc", "A /srv/etc/passwd"], Changes());
    }
}
