using PSContainer.Engine.Containers;
using PSContainer.Engine.Oci;

namespace PSContainer.Tests.Containers;

public sealed class DockerValuesTests
{
    [Theory]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("1g", 1024L * 1024 * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    [InlineData("1.5g", 1536L * 1024 * 1024)]
    [InlineData("64kb", 64L * 1024)]
    [InlineData("100", 100L)]
    [InlineData("100b", 100L)]
    public void ReadsSizesAsDockerRunDoes(string text, long bytes)
    {
        Assert.True(DockerValues.TryParseSize(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("12x")]
    [InlineData("-5m")]
    [InlineData("1 gigabyte")]
    public void RefusesWhatIsNoSize(string text) => Assert.False(DockerValues.TryParseSize(text, out _));

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData("1.5h", 5400)]
    public void ReadsGoDurations(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out TimeSpan span));
        Assert.Equal(seconds, span.TotalSeconds);
    }

    [Fact]
    public void ReadsMillisecondsApartFromMinutes()
    {
        Assert.True(GoDuration.TryParse("500ms", out TimeSpan span));
        Assert.Equal(0.5, span.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 minutes")]
    [InlineData("h")]
    [InlineData("5m garbage")]
    public void RefusesWhatIsNoDuration(string text) => Assert.False(GoDuration.TryParse(text, out TimeSpan _));
}
