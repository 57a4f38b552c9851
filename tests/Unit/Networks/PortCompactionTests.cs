using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

public sealed class PortCompactionTests
{
    private static PortMapping Port(int host, int container, string ip = "", string protocol = "tcp") =>
        new() { HostIp = ip, HostPort = host, ContainerPort = container, Protocol = protocol };

    [Fact]
    public void ConsecutivePortsBecomeOneRange() =>
        Assert.Equal(["8080-8082->80-82/tcp"], PortMapping.Compact([Port(8081, 81), Port(8080, 80), Port(8082, 82)]));

    [Fact]
    public void AGapStartsANewRangeAndAddressesAndProtocolsStayApart() =>
        Assert.Equal(["8080->80/tcp", "9000->90/tcp", "127.0.0.1:5353->53/udp"],
            PortMapping.Compact([Port(8080, 80), Port(9000, 90), Port(5353, 53, "127.0.0.1", "udp")]));

    [Fact]
    public void UnpublishedPortsShowTheContainerSideOnly() =>
        Assert.Equal(["80-81/tcp"], PortMapping.Compact([Port(0, 80), Port(0, 81)]));
}
