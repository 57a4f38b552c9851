using PSContainer.Engine;
using PSContainer.Engine.Runtime;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Runtime;

public sealed class RuntimeSelectorTests : IDisposable
{
    private readonly ScratchDir _dir = new("pscontainer-selector-");

    public void Dispose() => _dir.Dispose();

    private CgroupHost Host(CgroupMode mode, string controllers = "")
    {
        switch (mode)
        {
            case CgroupMode.V2: _dir.Write("cgroup.controllers", controllers == "" ? "cpu memory pids" : controllers); break;
            case CgroupMode.Hybrid: _dir.Write("unified/cgroup.controllers", controllers); break;
            default: _dir.Dir("memory"); break;
        }
        return new CgroupHost(_dir.Root);
    }

    private static Func<string, string?> Which(params string[] installed)
    {
        var map = installed.ToDictionary(n => n, n => "/usr/bin/" + n);
        return name => name.Contains('/') ? (installed.Contains(Path.GetFileName(name)) ? name : null) : map.GetValueOrDefault(name);
    }

    [Fact]
    public void CrunOnV2()
    {
        var chosen = RuntimeSelector.Select(null, Host(CgroupMode.V2), Which("crun", "runc"));
        Assert.Equal("crun", chosen.Name);
        Assert.Equal("/usr/bin/crun", chosen.Path);
    }

    [Fact]
    public void CrunOnPureV1() =>
        Assert.Equal("crun", RuntimeSelector.Select(null, Host(CgroupMode.V1), Which("crun", "runc")).Name);

    [Fact]
    public void CrunOnHybridWithoutUnifiedControllers() =>
        Assert.Equal("crun", RuntimeSelector.Select(null, Host(CgroupMode.Hybrid, ""), Which("crun", "runc")).Name);

    [Fact]
    public void RuncOnHybridWithUnifiedControllers()
    {
        var chosen = RuntimeSelector.Select(null, Host(CgroupMode.Hybrid, "hugetlb\n"), Which("crun", "runc"));
        Assert.Equal("runc", chosen.Name);
        Assert.Equal("/usr/bin/runc", chosen.Path);
        Assert.Contains("hybrid", chosen.Reason);
        Assert.Contains("hugetlb", chosen.Reason);
    }

    [Fact]
    public void CrunAsLastResortOnRefusingHybridHost()
    {
        var chosen = RuntimeSelector.Select(null, Host(CgroupMode.Hybrid, "hugetlb"), Which("crun"));
        Assert.Equal("crun", chosen.Name);
        Assert.Contains("runc is not installed", chosen.Reason);
    }

    [Theory]
    [InlineData(CgroupMode.V2)]
    [InlineData(CgroupMode.V1)]
    public void RuncFallbackWithoutCrun(CgroupMode mode)
    {
        var chosen = RuntimeSelector.Select(null, Host(mode), Which("runc"));
        Assert.Equal("runc", chosen.Name);
        Assert.Contains("crun is not installed", chosen.Reason);
    }

    [Fact]
    public void NoRuntimeAtAll()
    {
        var ex = Assert.Throws<EngineException>(() => RuntimeSelector.Select(null, Host(CgroupMode.V2), Which()));
        Assert.Equal("RuntimeNotFound", ex.ErrorId);
        Assert.Equal(EngineErrorKind.NotInstalled, ex.Kind);
    }

    [Fact]
    public void RequestedRuntimeWinsEvenWhereCrunWouldBePreferred()
    {
        var chosen = RuntimeSelector.Select("runc", Host(CgroupMode.V2), Which("crun", "runc"));
        Assert.Equal("runc", chosen.Name);
        Assert.Equal("requested", chosen.Reason);
    }

    [Fact]
    public void RequestedRuntimeWinsOnARefusingHost() =>
        Assert.Equal("crun", RuntimeSelector.Select("crun", Host(CgroupMode.Hybrid, "hugetlb"), Which("crun", "runc")).Name);

    [Fact]
    public void RequestedRuntimeByPath()
    {
        var chosen = RuntimeSelector.Select("/opt/runtimes/crun", Host(CgroupMode.V2), Which("crun"));
        Assert.Equal("crun", chosen.Name);
        Assert.Equal("/opt/runtimes/crun", chosen.Path);
    }

    [Theory]
    [InlineData("youki")]
    [InlineData("/opt/runtimes/youki")]
    public void RequestedRuntimeMissing(string requested)
    {
        var ex = Assert.Throws<EngineException>(() => RuntimeSelector.Select(requested, Host(CgroupMode.V2), Which("crun", "runc")));
        Assert.Equal("RuntimeNotFound", ex.ErrorId);
        Assert.Equal(EngineErrorKind.NotInstalled, ex.Kind);
        Assert.Equal(requested, ex.Target);
        Assert.Contains("youki", ex.Message);
    }
}
