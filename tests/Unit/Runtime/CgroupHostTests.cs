using PSContainer.Engine.Runtime;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Runtime;

public sealed class CgroupHostTests : IDisposable
{
    private readonly ScratchDir _dir = new("pscontainer-cgroup-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ControllersFileAtTheRootIsV2()
    {
        _dir.Write("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        var host = new CgroupHost(_dir.Root);
        Assert.Equal(CgroupMode.V2, host.Mode);
        Assert.Equal(["cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"], host.UnifiedControllers);
    }

    [Fact]
    public void UnifiedControllersFileIsHybrid()
    {
        _dir.Dir("memory");
        _dir.Dir("cpu");
        _dir.Write("unified/cgroup.controllers", "hugetlb\n");
        var host = new CgroupHost(_dir.Root);
        Assert.Equal(CgroupMode.Hybrid, host.Mode);
        Assert.Equal(["hugetlb"], host.UnifiedControllers);
    }

    [Fact]
    public void HybridWithoutControllers()
    {
        _dir.Write("unified/cgroup.controllers", "\n");
        var host = new CgroupHost(_dir.Root);
        Assert.Equal(CgroupMode.Hybrid, host.Mode);
        Assert.Empty(host.UnifiedControllers);
    }

    [Fact]
    public void ControllerDirectoriesOnlyIsV1()
    {
        _dir.Dir("memory");
        _dir.Dir("unified");
        var host = new CgroupHost(_dir.Root);
        Assert.Equal(CgroupMode.V1, host.Mode);
        Assert.Empty(host.UnifiedControllers);
    }

    [Fact]
    public void RootControllersWinOverUnified()
    {
        _dir.Write("cgroup.controllers", "memory");
        _dir.Write("unified/cgroup.controllers", "hugetlb");
        Assert.Equal(CgroupMode.V2, new CgroupHost(_dir.Root).Mode);
    }

    [Fact]
    public void ContainerDirOnV2IgnoresTheController()
    {
        _dir.Write("cgroup.controllers", "memory");
        var host = new CgroupHost(_dir.Root);
        Assert.Equal(Path.Combine(_dir.Root, "pscontainer/abc"), host.ContainerDir("/pscontainer/abc", "memory"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContainerDirOnV1AndHybridIsPerController(bool hybrid)
    {
        if (hybrid) _dir.Write("unified/cgroup.controllers", "");
        var host = new CgroupHost(_dir.Root);
        Assert.Equal(Path.Combine(_dir.Root, "memory/pscontainer/abc"), host.ContainerDir("/pscontainer/abc", "memory"));
        Assert.Equal(Path.Combine(_dir.Root, "pids/pscontainer/abc"), host.ContainerDir("pscontainer/abc", "pids"));
    }

    [Fact]
    public void DefaultRootIsSysFsCgroup() => Assert.Equal("/sys/fs/cgroup", new CgroupHost().Root);
}
