using PSContainer.Engine.Runtime;

namespace PSContainer.Tests.Runtime;

public sealed class CgroupUsageTests : IDisposable
{
    private const string Cgroup = "/pscontainer/abc";
    private readonly string _root = Directory.CreateTempSubdirectory("pscontainer-cgroup-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void ReadsV1Controllers()
    {
        Write("memory/pscontainer/abc/memory.usage_in_bytes", "50000000\n");
        Write("memory/pscontainer/abc/memory.limit_in_bytes", "67108864\n");
        Write("memory/pscontainer/abc/memory.stat", "cache 0\ntotal_inactive_file 10000000\ninactive_file 5\n");
        Write("cpuacct/pscontainer/abc/cpuacct.usage", "123456789\n");
        Write("pids/pscontainer/abc/pids.current", "3\n");
        Write("blkio/pscontainer/abc/blkio.throttle.io_service_bytes_recursive",
            "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Total 12288\n8:16 Read 1\n8:16 Write 2\nTotal 12291\n");
        var usage = CgroupUsage.Read(new CgroupHost(_root), Cgroup)!.Value;
        Assert.Equal(40000000, usage.MemoryBytes);
        Assert.Equal(67108864, usage.MemoryLimit);
        Assert.Equal(123456789ul, usage.CpuNanoseconds);
        Assert.Equal(3, usage.Pids);
        Assert.Equal(4097, usage.ReadBytes);
        Assert.Equal(8194, usage.WriteBytes);
    }

    [Fact]
    public void V1WithoutALimitHasNone()
    {
        Write("memory/pscontainer/abc/memory.usage_in_bytes", "1000\n");
        Write("memory/pscontainer/abc/memory.limit_in_bytes", "9223372036854771712\n");
        var usage = CgroupUsage.Read(new CgroupHost(_root), Cgroup)!.Value;
        Assert.Null(usage.MemoryLimit);
        Assert.Equal(1000, usage.MemoryBytes);
        Assert.Equal(0ul, usage.CpuNanoseconds);
    }

    [Fact]
    public void ReadsTheV2UnifiedFiles()
    {
        Write("cgroup.controllers", "cpu io memory pids\n");
        Write("pscontainer/abc/memory.current", "30000000\n");
        Write("pscontainer/abc/memory.max", "max\n");
        Write("pscontainer/abc/memory.stat", "anon 100\ninactive_file 1000000\n");
        Write("pscontainer/abc/cpu.stat", "usage_usec 2500\nuser_usec 2000\n");
        Write("pscontainer/abc/pids.current", "2\n");
        Write("pscontainer/abc/io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=1 wbytes=2\n");
        var usage = CgroupUsage.Read(new CgroupHost(_root), Cgroup)!.Value;
        Assert.Equal(29000000, usage.MemoryBytes);
        Assert.Null(usage.MemoryLimit);
        Assert.Equal(2500000ul, usage.CpuNanoseconds);
        Assert.Equal(2, usage.Pids);
        Assert.Equal(101, usage.ReadBytes);
        Assert.Equal(202, usage.WriteBytes);
    }

    [Fact]
    public void AGoneCgroupIsNull()
    {
        Assert.Null(CgroupUsage.Read(new CgroupHost(_root), Cgroup));
        Write("cgroup.controllers", "memory\n");
        Assert.Null(CgroupUsage.Read(new CgroupHost(_root), Cgroup));
    }
}
