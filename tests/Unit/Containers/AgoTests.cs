using PSContainer.Engine.Containers;

namespace PSContainer.Tests.Containers;

public sealed class AgoTests
{
    [Theory]
    [InlineData(-5, "Less than a second")]
    [InlineData(0, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(2, "2 seconds")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(59 * 60 + 59, "59 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(89 * 60, "About an hour")]
    [InlineData(2 * 3600, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(13 * 86400, "13 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(59 * 86400, "8 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(729 * 86400, "24 months")]
    [InlineData(730 * 86400, "2 years")]
    [InlineData(3650 * 86400, "10 years")]
    public void FormatsLikeDockerPs(long seconds, string expected) =>
        Assert.Equal(expected, Ago.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void SubSecondIsLessThanASecond() => Assert.Equal("Less than a second", Ago.Duration(TimeSpan.FromMilliseconds(999)));

    [Theory]
    [InlineData(150, "3 hours")] // Docker rounds hours half up: int(h + 0.5)
    [InlineData(270, "5 hours")]
    public void HalfHoursRoundUpAsInDocker(int minutes, string expected) =>
        Assert.Equal(expected, Ago.Duration(TimeSpan.FromMinutes(minutes)));
}
