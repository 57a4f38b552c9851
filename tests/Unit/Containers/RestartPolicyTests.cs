using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Tests.Containers;

public sealed class RestartPolicyTests
{
    [Theory]
    [InlineData(null, "no")]
    [InlineData("", "no")]
    [InlineData("no", "no")]
    [InlineData("always", "always")]
    [InlineData("ALWAYS", "always")]
    [InlineData("unless-stopped", "unless-stopped")]
    [InlineData("on-failure", "on-failure")]
    [InlineData("on-failure:0", "on-failure")]
    [InlineData("on-failure:5", "on-failure:5")]
    public void ParsesDockerStrings(string? text, string expected) =>
        Assert.Equal(expected, RestartPolicy.Parse(text).ToString());

    [Theory]
    [InlineData("sometimes")]
    [InlineData("always:3")]
    [InlineData("on-failure:-1")]
    [InlineData("on-failure:x")]
    [InlineData("unless-stopped:1")]
    public void RefusesWhatDockerRefuses(string text)
    {
        var ex = Assert.Throws<EngineException>(() => RestartPolicy.Parse(text));
        Assert.Equal("InvalidRestartPolicy", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, ex.Kind);
    }
}

public sealed class RestartDecisionTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    private static TimeSpan? After(string policy, int exitCode, bool stopped = false, int count = 0, int previousMs = 0, TimeSpan? ran = null) =>
        RestartDecision.AfterExit(RestartPolicy.Parse(policy), exitCode, stopped, count, TimeSpan.FromMilliseconds(previousMs), ran ?? Short);

    [Fact]
    public void NoPolicyNeverRestarts()
    {
        Assert.Null(After("no", 1));
        Assert.Null(After("no", 0));
    }

    [Theory]
    [InlineData("always", 0)]
    [InlineData("always", 137)]
    [InlineData("unless-stopped", 0)]
    [InlineData("unless-stopped", 2)]
    [InlineData("on-failure", 1)]
    [InlineData("on-failure:3", 137)]
    public void RestartsAfterAnExitThePolicyCovers(string policy, int exitCode) =>
        Assert.Equal(RestartDecision.InitialDelay, After(policy, exitCode));

    [Fact]
    public void OnFailureIgnoresSuccess() => Assert.Null(After("on-failure", 0));

    [Fact]
    public void OnFailureStopsAfterItsRetries()
    {
        Assert.NotNull(After("on-failure:3", 1, count: 2));
        Assert.Null(After("on-failure:3", 1, count: 3));
        Assert.NotNull(After("on-failure", 1, count: 1000));
    }

    [Theory]
    [InlineData("always")]
    [InlineData("unless-stopped")]
    [InlineData("on-failure")]
    public void AUserStopIsNeverUndone(string policy) => Assert.Null(After(policy, 143, stopped: true));

    [Fact]
    public void BackOffDoublesFromAHundredMilliseconds()
    {
        var delays = new List<double>();
        var previous = TimeSpan.Zero;
        for (var i = 0; i < 5; i++)
        {
            previous = RestartDecision.NextDelay(previous, Short);
            delays.Add(previous.TotalMilliseconds);
        }
        Assert.Equal([100, 200, 400, 800, 1600], delays);
    }

    [Fact]
    public void BackOffStopsAtAMinute() =>
        Assert.Equal(TimeSpan.FromMinutes(1), RestartDecision.NextDelay(TimeSpan.FromSeconds(40), Short));

    [Fact]
    public void TenSecondsOfRunningResetsTheBackOff()
    {
        Assert.Equal(RestartDecision.InitialDelay, After("always", 1, previousMs: 25_600, ran: TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(51_200), After("always", 1, previousMs: 25_600, ran: TimeSpan.FromSeconds(9.9)));
    }

    [Theory]
    // policy, exit code, stopped by user, restart count, started before → started at boot (as dockerd)
    [InlineData("always", 0, false, 0, true, true)]
    [InlineData("always", 143, true, 0, true, true)]
    [InlineData("unless-stopped", 255, false, 0, true, true)]
    [InlineData("unless-stopped", 143, true, 0, true, false)]
    [InlineData("on-failure", 255, false, 0, true, true)]
    [InlineData("on-failure", 0, false, 0, true, false)]
    [InlineData("on-failure:2", 255, false, 2, true, false)]
    [InlineData("on-failure", 143, true, 0, true, false)]
    [InlineData("no", 255, false, 0, true, false)]
    [InlineData("always", 0, false, 0, false, false)]
    public void AtBootBringsBackWhatDockerdWould(string policy, int exitCode, bool stopped, int count, bool startedBefore, bool expected) =>
        Assert.Equal(expected, RestartDecision.AtBoot(RestartPolicy.Parse(policy), exitCode, stopped, count, startedBefore));
}
