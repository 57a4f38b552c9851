using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Oci;

namespace PSContainer.Tests.Containers;

public sealed class DockerDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("250ms", 250)]
    [InlineData("2m", 120_000)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("0", 0)]
    [InlineData("00:01:30", 90_000)]
    public void ParsesGoDurationsAndTimeSpans(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DockerDuration.Parse(text, "HealthInterval"));

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("5d")]
    [InlineData("1m30")]
    [InlineData("-5s")]
    public void RefusesWhatIsNotADuration(string text)
    {
        var ex = Assert.Throws<EngineException>(() => DockerDuration.Parse(text, "HealthInterval"));
        Assert.Equal("InvalidDuration", ex.ErrorId);
        Assert.Contains("HealthInterval", ex.Message);
    }

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(30_000, "30s")]
    [InlineData(500, "500ms")]
    [InlineData(3_600_000, "1h")]
    [InlineData(0, "0s")]
    public void FormatsAsDockerDoes(double milliseconds, string expected) =>
        Assert.Equal(expected, DockerDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}

public sealed class HealthConfigTests
{
    private static readonly OciHealthcheck Image = new()
    {
        Test = ["CMD-SHELL", "curl -f localhost"],
        Interval = 10_000_000_000,
        Timeout = 3_000_000_000,
        Retries = 5,
    };

    [Fact]
    public void TheImageHealthcheckApplies()
    {
        var config = HealthConfig.Resolve(HealthConfig.FromImage(Image), null)!;
        Assert.Equal(["/bin/sh", "-c", "curl -f localhost"], config.Command);
        Assert.Equal(TimeSpan.FromSeconds(10), config.EffectiveInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), config.EffectiveTimeout);
        Assert.Equal(5, config.EffectiveRetries);
    }

    [Fact]
    public void UserFieldsReplaceTheImagesOneByOne()
    {
        var user = new HealthConfig { Interval = TimeSpan.FromSeconds(1) };
        var config = HealthConfig.Resolve(HealthConfig.FromImage(Image), user)!;
        Assert.Equal(["CMD-SHELL", "curl -f localhost"], config.Test);
        Assert.Equal(TimeSpan.FromSeconds(1), config.EffectiveInterval);
        Assert.Equal(5, config.EffectiveRetries);
    }

    [Fact]
    public void NoHealthcheckSwitchesTheImagesOff() =>
        Assert.Null(HealthConfig.Resolve(HealthConfig.FromImage(Image), new HealthConfig { Test = ["NONE"] }));

    [Fact]
    public void ExecFormRunsWithoutAShell()
    {
        var config = HealthConfig.Resolve(null, new HealthConfig { Test = ["CMD", "/bin/check", "--quick"] })!;
        Assert.Equal(["/bin/check", "--quick"], config.Command);
    }

    [Fact]
    public void DockersDefaults()
    {
        var config = new HealthConfig { Test = ["CMD", "true"] };
        Assert.Equal(TimeSpan.FromSeconds(30), config.EffectiveInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), config.EffectiveTimeout);
        Assert.Equal(3, config.EffectiveRetries);
        Assert.Equal(TimeSpan.Zero, config.EffectiveStartPeriod);
        Assert.Equal(HealthFailureAction.None, config.Action);
    }

    [Fact]
    public void NoHealthcheckWithOtherHealthParametersIsRefused()
    {
        var ex = Assert.Throws<EngineException>(() => new HealthConfig { Test = ["NONE"], Retries = 2 }.Validate());
        Assert.Equal("HealthcheckConflict", ex.ErrorId);
    }

    [Theory]
    [InlineData("reboot")]
    [InlineData("")]
    public void AnUnknownFailureActionIsRefused(string action) =>
        Assert.Equal("InvalidHealthcheck", Assert.Throws<EngineException>(() => new HealthConfig { Test = ["CMD", "true"], OnFailure = action }.Validate()).ErrorId);
}

public sealed class HealthStateTests
{
    private static readonly DateTimeOffset Started = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static HealthProbe Probe(int exitCode, double atSeconds) => new()
    {
        Start = Started.AddSeconds(atSeconds),
        End = Started.AddSeconds(atSeconds + 0.1),
        ExitCode = exitCode,
        Output = exitCode == 0 ? "ok" : "down",
    };

    private static HealthConfig Config(int retries = 3, double startPeriod = 0) =>
        new() { Test = ["CMD", "check"], Retries = retries, StartPeriod = TimeSpan.FromSeconds(startPeriod) };

    [Fact]
    public void StartingThenHealthyThenUnhealthyAfterRetriesFailures()
    {
        var state = new HealthState { RunStartedAt = Started };
        var config = Config(retries: 2);
        Assert.Equal(HealthStatus.Starting, state.Status);
        Assert.False(state.Record(Probe(0, 1), config));
        Assert.Equal(HealthStatus.Healthy, state.Status);
        Assert.False(state.Record(Probe(1, 2), config));
        Assert.Equal(HealthStatus.Healthy, state.Status);
        Assert.Equal(1, state.FailingStreak);
        Assert.True(state.Record(Probe(1, 3), config));
        Assert.Equal(HealthStatus.Unhealthy, state.Status);
        Assert.False(state.Record(Probe(1, 4), config));
        Assert.Equal(3, state.FailingStreak);
    }

    [Fact]
    public void ASuccessClearsTheStreak()
    {
        var state = new HealthState { RunStartedAt = Started };
        var config = Config(retries: 1);
        state.Record(Probe(1, 1), config);
        Assert.Equal(HealthStatus.Unhealthy, state.Status);
        state.Record(Probe(0, 2), config);
        Assert.Equal(HealthStatus.Healthy, state.Status);
        Assert.Equal(0, state.FailingStreak);
    }

    [Fact]
    public void FailuresInTheStartPeriodDoNotCountWhileStarting()
    {
        var state = new HealthState { RunStartedAt = Started };
        var config = Config(retries: 1, startPeriod: 10);
        state.Record(Probe(1, 2), config);
        state.Record(Probe(1, 4), config);
        Assert.Equal(HealthStatus.Starting, state.Status);
        Assert.Equal(0, state.FailingStreak);
        state.Record(Probe(1, 11), config);
        Assert.Equal(HealthStatus.Unhealthy, state.Status);
    }

    [Fact]
    public void OnceHealthyFailuresInTheStartPeriodCount()
    {
        var state = new HealthState { RunStartedAt = Started };
        var config = Config(retries: 1, startPeriod: 60);
        state.Record(Probe(0, 1), config);
        Assert.True(state.Record(Probe(1, 2), config));
    }

    [Fact]
    public void KeepsTheLastFiveProbes()
    {
        var state = new HealthState { RunStartedAt = Started };
        for (var i = 0; i < 8; i++) state.Record(Probe(i % 2, i), Config());
        Assert.Equal(5, state.Log.Count);
        Assert.Equal(Started.AddSeconds(3), state.Log[0].Start);
        Assert.Equal(Started.AddSeconds(7), state.Log[^1].Start);
    }

    [Fact]
    public void TheStartIntervalAppliesOnlyWhileStartingInTheStartPeriod()
    {
        var config = new HealthConfig { Test = ["CMD", "check"], Interval = TimeSpan.FromSeconds(30), StartPeriod = TimeSpan.FromSeconds(20), StartInterval = TimeSpan.FromSeconds(2) };
        Assert.Equal(TimeSpan.FromSeconds(2), HealthState.NextDelay(config, HealthStatus.Starting, Started, Started.AddSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(30), HealthState.NextDelay(config, HealthStatus.Starting, Started, Started.AddSeconds(21)));
        Assert.Equal(TimeSpan.FromSeconds(30), HealthState.NextDelay(config, HealthStatus.Healthy, Started, Started.AddSeconds(5)));
    }

    [Fact]
    public void ContainerInfoShowsHealthAsDockerPs()
    {
        var record = new ContainerRecord { Id = new string('a', 64), Name = "web" };
        record.State.Status = ContainerStatus.Running;
        record.State.StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        record.Settings.Healthcheck = new HealthConfig { Test = ["CMD", "true"] };
        record.Health = new HealthState { RunStartedAt = record.State.StartedAt.Value, Status = HealthStatus.Healthy };
        var info = ContainerInfo.From(record);
        Assert.Equal("Up 5 minutes (healthy)", info.StatusText);
        Assert.Equal("healthy", info.Health);
        record.Health.Status = HealthStatus.Starting;
        Assert.Equal("Up 5 minutes (health: starting)", ContainerInfo.From(record).StatusText);
        record.Health = null;
        Assert.Equal("", ContainerInfo.From(record).Health);
    }
}
