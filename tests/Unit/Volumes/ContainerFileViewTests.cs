using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Tests.Volumes;

/// <summary>Container paths must resolve inside the container's view, whatever symlinks the container planted.</summary>
public sealed class ContainerFileViewTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pscontainer-view-").FullName;

    public ContainerFileViewTests()
    {
        Directory.CreateDirectory(Rootfs("etc"));
        Directory.CreateDirectory(Rootfs("root"));
        Directory.CreateDirectory(Rootfs("data"));
        File.WriteAllText(Rootfs("etc/passwd"), "container");
        File.CreateSymbolicLink(Rootfs("evil"), "/");
        File.CreateSymbolicLink(Rootfs("etc/x"), "/root");
        File.CreateSymbolicLink(Rootfs("up"), "../../../../../../..");
        File.CreateSymbolicLink(Rootfs("hostetc"), "../../../../../../../etc");
        File.CreateSymbolicLink(Rootfs("todata"), "data/inner");
        Directory.CreateDirectory(Volume("inner"));
        File.CreateSymbolicLink(Volume("escape"), "/etc");
        File.CreateSymbolicLink(Volume("climb"), "../../../../../..");
        File.WriteAllText(Path.Combine(_dir, "hosts"), "hosts");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Rootfs(string relative = "") => Path.Combine(_dir, "rootfs", relative).TrimEnd('/');

    private string Volume(string relative = "") => Path.Combine(_dir, "volume", relative).TrimEnd('/');

    private ContainerFileView View() => new(Rootfs(), [
        new FileViewMount("/data", Volume(), ReadOnly: false),
        new FileViewMount("/etc/hosts", Path.Combine(_dir, "hosts"), ReadOnly: true),
        new FileViewMount("/tmp", null, ReadOnly: false),
    ]);

    [Theory]
    [InlineData("/evil/etc/passwd", "/etc/passwd", "rootfs/etc/passwd")]
    [InlineData("evil/evil/evil/root", "/root", "rootfs/root")]
    [InlineData("/etc/x/.ssh/id", "/root/.ssh/id", "rootfs/root/.ssh/id")]
    [InlineData("/up/etc/shadow", "/etc/shadow", "rootfs/etc/shadow")]
    [InlineData("/hostetc/shadow", "/etc/shadow", "rootfs/etc/shadow")]
    [InlineData("/../../../etc/passwd", "/etc/passwd", "rootfs/etc/passwd")]
    [InlineData("/data/file", "/data/file", "volume/file")]
    [InlineData("/todata/f", "/data/inner/f", "volume/inner/f")]
    [InlineData("/data/escape/passwd", "/etc/passwd", "rootfs/etc/passwd")]
    [InlineData("/data/climb/root", "/root", "rootfs/root")]
    [InlineData("/data/../etc/x", "/root", "rootfs/root")]
    [InlineData("/etc/hosts", "/etc/hosts", "hosts")]
    [InlineData("/", "/", "rootfs")]
    public void ResolvesInsideTheView(string path, string logical, string physical)
    {
        var resolved = View().Resolve(path, followFinalSymlink: true);
        Assert.Equal(logical, resolved.Logical);
        Assert.Equal(Path.Combine(_dir, physical), resolved.Physical);
    }

    [Fact]
    public void AFinalSymlinkIsKeptWhenAsked()
    {
        var resolved = View().Resolve("/evil/etc/x", followFinalSymlink: false);
        Assert.Equal("/etc/x", resolved.Logical);
        Assert.Equal(Rootfs("etc/x"), resolved.Physical);
        Assert.Null(resolved.Mount);
    }

    [Fact]
    public void TellsWhichMountAPathIsIn()
    {
        Assert.Equal("/data", View().Resolve("/todata/x", true).Mount?.Target);
        Assert.True(View().Resolve("/etc/hosts", true).Mount?.ReadOnly);
    }

    [Fact]
    public void TmpfsPathsAreOutOfReach()
    {
        var error = Assert.Throws<EngineException>(() => View().Resolve("/tmp/file", true));
        Assert.Equal("PathOnTmpfs", error.ErrorId);
    }

    [Fact]
    public void MountTargetsResolveLikeTheRuntimeDoes()
    {
        // The image made /srv a symlink; the runtime mounts at what it points to inside the root.
        File.CreateSymbolicLink(Rootfs("srv"), "/data");
        var view = new ContainerFileView(Rootfs(), [new FileViewMount("/srv", Volume(), false)]);
        Assert.Equal(Volume("file"), view.Resolve("/data/file", true).Physical);
    }

    [Fact]
    public void EveryAnswerStaysUnderTheRootfsOrAMountSource()
    {
        string[] hostile = ["/evil", "/up", "/hostetc", "/etc/x", "/data/escape", "/data/climb", "../../..", "/evil/../../../..", "/todata/../../../.."];
        foreach (var path in hostile)
        {
            var physical = View().Resolve(path + "/probe", true).Physical;
            Assert.True(physical.StartsWith(Rootfs() + "/", StringComparison.Ordinal) || physical.StartsWith(Volume() + "/", StringComparison.Ordinal), physical);
        }
    }
}
