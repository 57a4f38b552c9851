using PSContainer.Engine;
using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

public sealed class SubnetTests
{
    [Theory]
    [InlineData("10.88.0.0/16", "10.88.0.0/16", "10.88.0.1", "10.88.255.255")]
    [InlineData("10.213.7.9/24", "10.213.7.0/24", "10.213.7.1", "10.213.7.255")]
    [InlineData("192.168.1.128/25", "192.168.1.128/25", "192.168.1.129", "192.168.1.255")]
    public void ParsesAndNormalizes(string text, string normal, string first, string broadcast)
    {
        var subnet = Ipv4Subnet.Parse(text);
        Assert.Equal(normal, subnet.ToString());
        Assert.Equal(first, Ipv4Subnet.FormatAddress(subnet.FirstHost));
        Assert.Equal(broadcast, Ipv4Subnet.FormatAddress(subnet.Broadcast));
    }

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/8")]
    [InlineData("fd00::/64")]
    [InlineData("10.0.0.0/x")]
    public void RejectsWhatIsNotIpv4Cidr(string text) =>
        Assert.Equal("InvalidSubnet", Assert.Throws<EngineException>(() => Ipv4Subnet.Parse(text)).ErrorId);

    [Theory]
    [InlineData("10.0.0.0/8", "10.213.0.0/24", true)]
    [InlineData("10.213.0.0/24", "10.0.0.0/8", true)]
    [InlineData("10.213.0.0/24", "10.213.1.0/24", false)]
    [InlineData("10.88.0.0/16", "10.89.0.0/24", false)]
    public void KnowsOverlaps(string a, string b, bool overlap) =>
        Assert.Equal(overlap, Ipv4Subnet.Parse(a).Overlaps(Ipv4Subnet.Parse(b)));

    [Fact]
    public void ReadsTheKernelRouteTable()
    {
        const string table = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
            + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
            + "psc0\t0000580A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
        Assert.Equal(["192.0.2.0/24", "10.88.0.0/16"], HostRoutes.Parse(table).Select(s => s.ToString()));
    }

    [Fact]
    public void PicksTheFirstFreeSlash24FromTheSeed()
    {
        var taken = new[] { Ipv4Subnet.Parse("10.89.0.0/24"), Ipv4Subnet.Parse("10.89.1.0/24"), Ipv4Subnet.Parse("10.89.2.0/24") };
        Assert.Equal("10.89.3.0/24", SubnetAllocator.Pick(taken, 0).ToString());
        Assert.Equal("10.89.5.0/24", SubnetAllocator.Pick(taken, 5).ToString());
        Assert.Equal("10.90.0.0/24", SubnetAllocator.Pick([Ipv4Subnet.Parse("10.89.0.0/16")], 7).ToString());
    }

    [Fact]
    public void ReportsWhenNothingIsFree() =>
        Assert.Equal("NoFreeSubnet", Assert.Throws<EngineException>(() => SubnetAllocator.Pick([Ipv4Subnet.Parse("10.0.0.0/8")], 1)).ErrorId);
}
