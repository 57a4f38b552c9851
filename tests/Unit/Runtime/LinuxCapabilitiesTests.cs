using PSContainer.Engine.Runtime;

namespace PSContainer.Tests.Runtime;

public sealed class LinuxCapabilitiesTests : IDisposable
{
    private readonly string _status = Path.GetTempFileName();

    public void Dispose() => File.Delete(_status);

    [Fact]
    public void FollowsTheBoundingSet()
    {
        // Everything up to CAP_CHECKPOINT_RESTORE (40) except CAP_SYS_RESOURCE (24).
        File.WriteAllText(_status, "Name:\tpwsh\nCapInh:\t0000000000000000\nCapBnd:\t000001fffeffffff\n");
        var all = LinuxCapabilities.All(_status);
        Assert.Equal(40, all.Count);
        Assert.DoesNotContain("CAP_SYS_RESOURCE", all);
        Assert.Equal("CAP_CHOWN", all[0]);
        Assert.Equal("CAP_CHECKPOINT_RESTORE", all[^1]);
    }

    [Fact]
    public void ANarrowBoundingSetGivesFewCapabilities()
    {
        File.WriteAllText(_status, "CapBnd:\t0000000000000021\n");
        Assert.Equal(["CAP_CHOWN", "CAP_KILL"], LinuxCapabilities.All(_status));
    }
}
