using PSContainer.Engine.Runtime;

namespace PSContainer.Tests.Runtime;

public sealed class ConmonTests
{
    [Fact]
    public void SyncWithPid() => Assert.Equal((4242, (string?)null), Conmon.ParseSync("{\"data\": 4242}"));

    [Fact]
    public void SyncWithFailure()
    {
        var (data, message) = Conmon.ParseSync("{\"data\": -1, \"message\": \"container create failed\"}");
        Assert.Equal(-1, data);
        Assert.Equal("container create failed", message);
    }

    [Fact]
    public void SyncWithoutDataIsAFailure() => Assert.Equal(-1, Conmon.ParseSync("{\"message\": \"x\"}").Data);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    public void EmptyMessage(string? message) => Assert.Equal("no reason given", Conmon.CleanMessage(message));

    [Fact]
    public void PlainTextIsKept() =>
        Assert.Equal("runc create failed: unable to start container process", Conmon.CleanMessage("runc create failed: unable to start container process\n"));

    [Fact]
    public void RuntimeJsonLogLinesBecomeTheirMsg()
    {
        var message = "{\"msg\":\"cgroups in hybrid mode not supported, drop all controllers from cgroupv2\",\"level\":\"error\",\"time\":\"2024-05-01T12:00:00Z\"}\n" +
                      "{\"level\":\"error\",\"msg\":\"exec: \\\"nope\\\": executable file not found in $PATH\"}\n";
        Assert.Equal("cgroups in hybrid mode not supported, drop all controllers from cgroupv2; exec: \"nope\": executable file not found in $PATH",
            Conmon.CleanMessage(message));
    }

    [Fact]
    public void MixedAndMalformedLines()
    {
        var message = "  first plain  \n{not json\n{\"level\":\"error\"}\n\n{\"msg\":\"from json\"}";
        Assert.Equal("first plain; {not json; {\"level\":\"error\"}; from json", Conmon.CleanMessage(message));
    }
}
