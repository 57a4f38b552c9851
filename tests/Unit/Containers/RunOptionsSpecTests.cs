using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Oci;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Containers;

public sealed class RunOptionsSpecTests
{
    private static OciSpec Spec() => new()
    {
        Mounts = [new OciMount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "size=65536k"] }],
        Linux = new OciLinux { Namespaces = [new() { Type = "pid" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "network" }] },
        Hostname = "abc",
    };

    [Fact]
    public void MapsLimitsSysctlsShmAndTmpfsIntoTheSpec()
    {
        var spec = Spec();
        RunOptionsSpec.ApplyTo(spec, new RunOptions
        {
            ShmSize = 128L << 20,
            Sysctls = new() { ["net.ipv4.ip_forward"] = "1" },
            Tmpfs = ["/cache:size=1m"],
            CpuShares = 512,
            CpusetCpus = "0",
            MemoryReservation = 32L << 20,
            OomScoreAdj = 500,
            GroupAdd = ["50"],
        }, "/nonexistent", _ => 0);
        var shm = spec.Mounts.Single(m => m.Destination == "/dev/shm");
        Assert.Contains("size=131072k", shm.Options!);
        Assert.DoesNotContain("size=65536k", shm.Options!);
        Assert.Equal("1", spec.Linux.Sysctl!["net.ipv4.ip_forward"]);
        Assert.Contains(spec.Mounts, m => m.Destination == "/cache" && m.Type == "tmpfs" && m.Options!.Contains("size=1m"));
        Assert.Equal(512UL, spec.Linux.Resources!.Cpu!.Shares);
        Assert.Equal("0", spec.Linux.Resources.Cpu.Cpus);
        Assert.Equal(32L << 20, spec.Linux.Resources.Memory!.Reservation);
        Assert.Equal(500, spec.Process.OomScoreAdj);
        Assert.Equal([50u], spec.Process.User.AdditionalGids!);
    }

    [Fact]
    public void HostAndContainerNamespacesAreSharedNotCreated()
    {
        var spec = Spec();
        RunOptionsSpec.ApplyTo(spec, new RunOptions { PidMode = "host", IpcMode = "container:db", UtsMode = "host" }, "/nonexistent", name => name == "db" ? 4242 : 0);
        Assert.DoesNotContain(spec.Linux.Namespaces, n => n.Type is "pid" or "uts");
        Assert.Contains(spec.Linux.Namespaces, n => n.Type == "ipc" && n.Path == "/proc/4242/ns/ipc");
        Assert.Null(spec.Hostname);
    }

    [Fact]
    public void WritesExtraHostsAndResolverSettings()
    {
        using var dir = new ScratchDir();
        dir.Write("hosts", "127.0.0.1\tlocalhost\n");
        dir.Write("resolv.conf", "nameserver 10.0.0.2\nsearch corp\noptions ndots:2\n");
        RunOptionsSpec.WriteEtcFiles(dir.Root, new RunOptions { ExtraHosts = ["db:10.1.2.3"], Dns = ["1.1.1.1"], DnsSearch = ["example.test"] });
        Assert.Contains("10.1.2.3\tdb", File.ReadAllText(dir["hosts"]));
        var resolv = File.ReadAllLines(dir["resolv.conf"]);
        Assert.Equal(["nameserver 1.1.1.1", "search example.test", "options ndots:2"], resolv);
    }

    [Theory]
    [InlineData("kernel.panic")]
    [InlineData("vm.swappiness")]
    public void RefusesSysctlsThatWouldChangeTheHost(string key)
    {
        var ex = Assert.Throws<EngineException>(() => RunOptionsSpec.Validate(new RunOptions { Sysctls = new() { [key] = "1" } }, null, null));
        Assert.Equal("SysctlNotNamespaced", ex.ErrorId);
    }

    [Fact]
    public void RefusesNetSysctlsWithTheHostNetwork() =>
        Assert.Equal("SysctlNotNamespaced", Assert.Throws<EngineException>(() =>
            RunOptionsSpec.Validate(new RunOptions { Sysctls = new() { ["net.ipv4.ip_forward"] = "1" } }, "host", null)).ErrorId);

    [Theory]
    [InlineData("linux/s390x")]
    [InlineData("windows/amd64")]
    public void RefusesAPlatformTheHostCannotRun(string platform) =>
        Assert.Equal("PlatformNotAvailable", Assert.Throws<EngineException>(() => RunOptionsSpec.Validate(new RunOptions { Platform = platform }, null, null)).ErrorId);

    [Fact]
    public void AcceptsTheHostPlatform() => RunOptionsSpec.Validate(new RunOptions { Platform = RunOptionsSpec.HostPlatform }, null, null);

    [Theory]
    [InlineData("db")]
    [InlineData("db:not-an-ip")]
    public void RefusesMalformedAddHost(string entry) =>
        Assert.Equal("InvalidAddHost", Assert.Throws<EngineException>(() => RunOptionsSpec.Validate(new RunOptions { ExtraHosts = [entry] }, null, null)).ErrorId);

    [Fact]
    public void RefusesCpusTheHostLacksAndAReservationAboveTheLimit()
    {
        Assert.Equal("InvalidCpusetCpus", Assert.Throws<EngineException>(() => RunOptionsSpec.Validate(new RunOptions { CpusetCpus = "0-4096" }, null, null)).ErrorId);
        Assert.Equal("InvalidMemoryReservation", Assert.Throws<EngineException>(() => RunOptionsSpec.Validate(new RunOptions { MemoryReservation = 2 << 20 }, null, 1 << 20)).ErrorId);
    }
}
