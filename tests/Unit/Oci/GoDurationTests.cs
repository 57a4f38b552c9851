using PSContainer.Engine.Oci;

namespace PSContainer.Tests.Oci;

public class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30_000_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("500ms", 500_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("10us", 10_000L)]
    public void ParsesGoDurations(string text, long nanoseconds)
    {
        Assert.True(GoDuration.TryParse(text, out long parsed));
        Assert.Equal(nanoseconds, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("5 s")]
    [InlineData("1m x")]
    [InlineData("s")]
    public void RejectsWhatGoRejects(string text) => Assert.False(GoDuration.TryParse(text, out long _));
}
