using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Networks;
using PSContainer.Transformations;

namespace PSContainer.Tests.Networks;

public sealed class PortMappingTests
{
    [Theory]
    [InlineData("8080:80", "", 8080, 80, "tcp")]
    [InlineData("80", "", 0, 80, "tcp")]
    [InlineData("127.0.0.1:8080:80/udp", "127.0.0.1", 8080, 80, "udp")]
    [InlineData("127.0.0.1::80", "127.0.0.1", 0, 80, "tcp")]
    [InlineData(":80", "", 0, 80, "tcp")]
    [InlineData("0:80", "", 0, 80, "tcp")]
    [InlineData("53:53/UDP", "", 53, 53, "udp")]
    [InlineData("9000:9000/sctp", "", 9000, 9000, "sctp")]
    [InlineData("[::1]:8080:80", "::1", 8080, 80, "tcp")]
    [InlineData("[::1]::80", "::1", 0, 80, "tcp")]
    [InlineData(" 8080:80 ", "", 8080, 80, "tcp")]
    public void ParsesDockerSyntax(string text, string hostIp, int hostPort, int containerPort, string protocol)
    {
        var mapping = Assert.Single(PortMapping.Parse(text));
        Assert.Equal(hostIp, mapping.HostIp);
        Assert.Equal(hostPort, mapping.HostPort);
        Assert.Equal(containerPort, mapping.ContainerPort);
        Assert.Equal(protocol, mapping.Protocol);
    }

    [Fact]
    public void ExpandsRanges()
    {
        var list = PortMapping.Parse("127.0.0.1:8000-8002:80-82/udp");
        Assert.Equal([8000, 8001, 8002], list.Select(p => p.HostPort));
        Assert.Equal([80, 81, 82], list.Select(p => p.ContainerPort));
        Assert.All(list, p => Assert.Equal("udp", p.Protocol));
        Assert.Equal([0, 0], PortMapping.Parse("5000-5001").Select(p => p.HostPort));
    }

    [Theory]
    [InlineData("")]
    [InlineData("8080:")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("80/icmp")]
    [InlineData("a:b")]
    [InlineData("1.2.3.4:5:6:7")]
    [InlineData("not-an-ip:8080:80")]
    [InlineData("8000-8001:80")]
    [InlineData("90-80")]
    [InlineData("[::1]:80")]
    [InlineData("-5:80")]
    public void RejectsMalformedMappings(string text)
    {
        var ex = Assert.Throws<EngineException>(() => PortMapping.Parse(text));
        Assert.Equal("InvalidPortMapping", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, ex.Kind);
    }

    [Theory]
    [InlineData("127.0.0.1:8080:80", "127.0.0.1:8080->80/tcp")]
    [InlineData("8080:80/udp", "0.0.0.0:8080->80/udp")]
    [InlineData("80", "80/tcp")]
    [InlineData("[::1]:8080:80", "[::1]:8080->80/tcp")]
    public void PrintsLikeDockerPs(string text, string expected) =>
        Assert.Equal(expected, Assert.Single(PortMapping.Parse(text)).ToString());

    [Theory]
    [InlineData("80/tcp", 80, "tcp")]
    [InlineData("53/udp", 53, "udp")]
    [InlineData("8080", 8080, "tcp")]
    public void ReadsExposedPorts(string key, int port, string protocol)
    {
        var mapping = PortMapping.FromExposed(key);
        Assert.Equal((0, port, protocol, ""), (mapping.HostPort, mapping.ContainerPort, mapping.Protocol, mapping.HostIp));
    }

    [Fact]
    public void RejectsExposedEntriesWithHostParts() =>
        Assert.Throws<EngineException>(() => PortMapping.FromExposed("8080:80"));

    [Fact]
    public void TransformationTakesStringsNumbersAndMappings()
    {
        var attribute = new PortMappingTransformationAttribute();
        var existing = new PortMapping { HostPort = 1, ContainerPort = 2 };
        var result = Assert.IsType<PortMapping[]>(attribute.Transform(null!, new object[] { "8080:80", 443, new PSObject("127.0.0.1::53/udp"), existing, "7000-7001:70-71" }));
        Assert.Equal(["0.0.0.0:8080->80/tcp", "443/tcp", "53/udp", "0.0.0.0:1->2/tcp", "0.0.0.0:7000->70/tcp", "0.0.0.0:7001->71/tcp"],
            result.Select(p => p.ToString()));
        Assert.Equal("127.0.0.1", result[2].HostIp);
        Assert.Same(existing, result[3]);
        Assert.Single(Assert.IsType<PortMapping[]>(attribute.Transform(null!, "80")));
    }

    [Fact]
    public void TransformationReportsBadInputAsAnArgumentError()
    {
        var attribute = new PortMappingTransformationAttribute();
        var ex = Assert.Throws<ArgumentTransformationMetadataException>(() => attribute.Transform(null!, "80/icmp"));
        Assert.Contains("icmp", ex.Message);
    }
}
