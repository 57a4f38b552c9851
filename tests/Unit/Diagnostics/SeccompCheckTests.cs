using PSContainer.Engine.Diagnostics;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Diagnostics;

public sealed class SeccompCheckTests
{
    [Fact]
    public void PassesWhenTheKernelFiltersWithErrnoAndAllow()
    {
        using var dir = new ScratchDir();
        var status = dir.Write("status", "Name:\tpwsh\nSeccomp:\t0\nSeccomp_filters:\t0\n");
        var actions = dir.Write("actions_avail", "kill_process kill_thread trap errno user_notif trace log allow\n");
        var check = SeccompCheck.Run(status, actions);
        Assert.True(check.Passed);
        Assert.Equal("Seccomp", check.Name);
        Assert.Contains("errno", check.Detail);
    }

    [Fact]
    public void FailsWithoutTheSeccompField()
    {
        using var dir = new ScratchDir();
        var check = SeccompCheck.Run(dir.Write("status", "Name:\tpwsh\n"), dir["actions_avail"]);
        Assert.False(check.Passed);
        Assert.Contains("CONFIG_SECCOMP_FILTER", check.Detail);
    }

    [Fact]
    public void FailsWithoutFilterMode()
    {
        using var dir = new ScratchDir();
        var check = SeccompCheck.Run(dir.Write("status", "Seccomp:\t0\n"), dir["actions_avail"]);
        Assert.False(check.Passed);
        Assert.Contains("absent", check.Detail);
    }
}
