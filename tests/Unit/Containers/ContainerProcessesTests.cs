using PSContainer.Engine.Containers;

namespace PSContainer.Tests.Containers;

public sealed class ContainerProcessesTests : IDisposable
{
    private static readonly DateTimeOffset Boot = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _proc = Directory.CreateTempSubdirectory("pscontainer-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    private void Fake(int pid, string stat, string status, string cmdline)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(dir, "stat"), stat);
        File.WriteAllText(Path.Combine(dir, "status"), status);
        File.WriteAllText(Path.Combine(dir, "cmdline"), cmdline);
    }

    [Fact]
    public void ReadsStatStatusAndCommandLine()
    {
        // utime 150 + stime 50 ticks = 2 s; starttime 1000 ticks = 10 s after boot.
        Fake(4242, "4242 (my (odd) name) S 4200 4242 4242 0 -1 4194560 1 0 0 0 150 50 0 0 20 0 1 0 1000 1 1",
            "Name:\tsleep\nPPid:\t4200\nUid:\t1000\t1000\t1000\t1000\nNSpid:\t4242\t7\n", "sleep\01000\0");
        var p = ContainerProcesses.Read(_proc, 4242, "web", new Dictionary<uint, string> { [1000] = "www" }, Boot, 100)!;
        Assert.Equal("web", p.Container);
        Assert.Equal(4242, p.Pid);
        Assert.Equal(4200, p.ParentPid);
        Assert.Equal(7, p.ContainerPid);
        Assert.Equal(1000u, p.Uid);
        Assert.Equal("www", p.User);
        Assert.Equal("S", p.State);
        Assert.Equal("my (odd) name", p.Name);
        Assert.Equal("sleep 1000", p.CommandLine);
        Assert.Equal(Boot.AddSeconds(10), p.StartTime);
        Assert.Equal(TimeSpan.FromSeconds(2), p.CpuTime);
    }

    [Fact]
    public void AKernelThreadLikeProcessShowsItsNameAndAnUnknownUidAsANumber()
    {
        Fake(9, "9 (kworker) I 2 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0", "Uid:\t77\t77\t77\t77\n", "");
        var p = ContainerProcesses.Read(_proc, 9, "web", new Dictionary<uint, string>(), Boot, 100)!;
        Assert.Equal("[kworker]", p.CommandLine);
        Assert.Equal("77", p.User);
        Assert.Equal(9, p.ContainerPid);
    }

    [Fact]
    public void AGoneProcessIsNull() =>
        Assert.Null(ContainerProcesses.Read(_proc, 12345, "web", new Dictionary<uint, string>(), Boot, 100));
}
