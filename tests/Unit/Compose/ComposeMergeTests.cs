using PSContainer.Engine.Compose;

namespace PSContainer.Tests.Compose;

public sealed class ComposeMergeTests
{
    private static readonly ComposeModel Project = ComposeFixture.Load("override");

    [Fact]
    public void CommandIsReplacedNotAppended() =>
        Assert.Equal(["httpd", "-f", "-v"], Project.Service("web")!.Command);

    [Fact]
    public void EnvironmentListAndMapMergeByKey()
    {
        var environment = Project.Service("web")!.Environment!;
        Assert.Equal("debug", environment["LEVEL"]);
        Assert.Equal("yes", environment["KEEP"]);
    }

    [Fact]
    public void PortsMergeByTheirUniqueKey() =>
        Assert.Equal(["8080:80/tcp", "127.0.0.1:9000:9000/tcp", "8443:443/tcp"], Project.Service("web")!.Ports!.Select(p => p.ToString()));

    [Fact]
    public void VolumesMergeByTarget()
    {
        var volumes = Project.Service("web")!.Volumes!;
        Assert.Equal(["/data", "/www"], volumes.Select(v => v.Target));
        Assert.Equal(Path.Combine(ComposeFixture.Dir("override"), "public"), volumes[1].Source);
        // Entries that share a target merge key by key: the base's read_only stays.
        Assert.True(volumes[1].ReadOnly);
    }

    [Fact]
    public void OtherSequencesAppend() => Assert.Equal(["1.1.1.1", "8.8.8.8"], Project.Service("web")!.Dns);

    [Fact]
    public void ResetTagRemovesTheInheritedValue() => Assert.Null(Project.Service("web")!.Labels);

    [Fact]
    public void HealthcheckTestIsReplacedAndOtherFieldsMerge()
    {
        var health = Project.Service("worker")!.Healthcheck!;
        Assert.Equal(["CMD", "false"], health.Test);
        Assert.Equal("5s", health.Interval);
    }

    [Fact]
    public void ProfilesKeepServicesOutUnlessEnabled()
    {
        Assert.Equal(["web", "worker"], Project.Services.Select(s => s.Name));
        Assert.Equal(["extra"], Project.DisabledServices);
        Assert.Contains("extra", ComposeFixture.Load("override", profiles: ["debug"]).Services.Select(s => s.Name));
        Assert.Contains("extra", ComposeFixture.Load("override", new() { ["COMPOSE_PROFILES"] = "debug" }).Services.Select(s => s.Name));
    }

    [Fact]
    public void YamlOutputRoundTrips()
    {
        var yaml = ComposeYamlWriter.Write(Project);
        var dir = Path.Combine(Path.GetTempPath(), "psc-roundtrip-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "compose.yaml"), yaml);
            var again = ComposeLoader.Load(new ComposeLoadOptions { Paths = [dir], CurrentDirectory = dir });
            Assert.Equal(Project.Name, again.Name);
            foreach (var service in Project.Services)
                Assert.Equal(ConfigHash.Of(service), ConfigHash.Of(again.Service(service.Name)!));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
