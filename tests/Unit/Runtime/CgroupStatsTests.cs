using PSContainer.Engine.Runtime;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Runtime;

public sealed class CgroupStatsTests : IDisposable
{
    private const string CgroupsPath = "/pscontainer/0123abcd";
    private readonly ScratchDir _dir = new("pscontainer-stats-");

    public void Dispose() => _dir.Dispose();

    private CgroupHost V2()
    {
        _dir.Write("cgroup.controllers", "cpuset cpu io memory pids");
        return new CgroupHost(_dir.Root);
    }

    private CgroupHost V1(bool hybrid)
    {
        if (hybrid) _dir.Write("unified/cgroup.controllers", "hugetlb");
        else _dir.Dir("memory");
        return new CgroupHost(_dir.Root);
    }

    private void V2File(string name, string content) => _dir.Write("pscontainer/0123abcd/" + name, content);

    private void V1File(string controller, string name, string content) => _dir.Write($"{controller}/pscontainer/0123abcd/{name}", content);

    [Fact]
    public void ReadsV2Files()
    {
        var host = V2();
        V2File("memory.current", "10485760\n");
        V2File("memory.max", "268435456\n");
        V2File("cpu.stat", "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 0\n");
        V2File("pids.current", "3\n");
        V2File("io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n253:0 rbytes=100 wbytes=200 rios=1 wios=1 dbytes=0 dios=0\n");
        var stats = CgroupStats.Read(host, CgroupsPath);
        Assert.Equal(new CgroupStats(10485760, 268435456, 1_500_000_000UL, 3, 4196, 8392), stats);
    }

    [Fact]
    public void V2MaxMeansNoLimit()
    {
        var host = V2();
        V2File("memory.current", "1");
        V2File("memory.max", "max\n");
        Assert.Null(CgroupStats.Read(host, CgroupsPath).MemoryLimit);
    }

    [Fact]
    public void V2MissingFilesAreZero()
    {
        var host = V2();
        _dir.Dir("pscontainer/0123abcd");
        Assert.Equal(new CgroupStats(0, null, 0, 0, 0, 0), CgroupStats.Read(host, CgroupsPath));
    }

    [Fact]
    public void V2EmptyIoStatIsZero()
    {
        var host = V2();
        V2File("io.stat", "");
        V2File("pids.current", "1");
        var stats = CgroupStats.Read(host, CgroupsPath);
        Assert.Equal(0, stats.IoReadBytes);
        Assert.Equal(0, stats.IoWriteBytes);
        Assert.Equal(1, stats.Pids);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsV1FilesOnV1AndHybridHosts(bool hybrid)
    {
        var host = V1(hybrid);
        V1File("memory", "memory.usage_in_bytes", "20971520\n");
        V1File("memory", "memory.limit_in_bytes", "536870912\n");
        V1File("cpuacct", "cpuacct.usage", "987654321\n");
        V1File("pids", "pids.current", "7\n");
        V1File("blkio", "blkio.throttle.io_service_bytes",
            "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 12288\n8:0 Async 0\n8:0 Discard 0\n8:0 Total 12288\n" +
            "8:16 Read 1\n8:16 Write 2\n8:16 Sync 3\n8:16 Async 0\n8:16 Discard 0\n8:16 Total 3\nTotal 12291\n");
        var stats = CgroupStats.Read(host, CgroupsPath);
        Assert.Equal(new CgroupStats(20971520, 536870912, 987654321UL, 7, 4097, 8194), stats);
    }

    [Fact]
    public void V1HugeLimitMeansNoLimit()
    {
        var host = V1(hybrid: true);
        V1File("memory", "memory.usage_in_bytes", "5");
        V1File("memory", "memory.limit_in_bytes", "9223372036854771712\n");
        var stats = CgroupStats.Read(host, CgroupsPath);
        Assert.Equal(5, stats.MemoryUsage);
        Assert.Null(stats.MemoryLimit);
    }

    [Fact]
    public void V1MissingFilesAreZero()
    {
        var host = V1(hybrid: true);
        Assert.Equal(new CgroupStats(0, null, 0, 0, 0, 0), CgroupStats.Read(host, CgroupsPath));
    }

    [Fact]
    public void V1BlkioWithOnlyATotalIsZero()
    {
        var host = V1(hybrid: false);
        V1File("blkio", "blkio.throttle.io_service_bytes", "Total 0\n");
        var stats = CgroupStats.Read(host, CgroupsPath);
        Assert.Equal((0L, 0L), (stats.IoReadBytes, stats.IoWriteBytes));
    }

    [Fact]
    public void V1DoesNotReadV2FilesAndViceVersa()
    {
        var host = V1(hybrid: true);
        V2File("memory.current", "999");
        V1File("memory", "memory.usage_in_bytes", "5");
        Assert.Equal(5, CgroupStats.Read(host, CgroupsPath).MemoryUsage);
    }
}
