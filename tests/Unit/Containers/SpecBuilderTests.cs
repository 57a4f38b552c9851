using System.Text.Json;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Oci;

namespace PSContainer.Tests.Containers;

public sealed class SpecBuilderTests
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Rootfs = "/var/lib/pscontainer/containers/x/merged";
    private const string ContainerDir = "/var/lib/pscontainer/containers/x";

    private static OciRunConfig Image() => new()
    {
        Entrypoint = ["/docker-entrypoint.sh"],
        Cmd = ["nginx", "-g", "daemon off;"],
        Env = ["PATH=/opt/bin:/usr/bin", "NGINX_VERSION=1.27"],
        WorkingDir = "/srv",
    };

    private static ContainerRecord Record(ContainerSettings settings) => new()
    {
        Id = Id,
        Name = "web",
        ImageName = "nginx:latest",
        Command = ["/docker-entrypoint.sh", "nginx"],
        Settings = settings,
    };

    private static OciSpec Build(ContainerSettings settings, CgroupMode mode = CgroupMode.V2, OciRunConfig? image = null) =>
        SpecBuilder.Build(Record(settings), image ?? Image(), Rootfs, ContainerDir, new ContainerUser.Ids(0, 0, []), mode);

    // --- Arguments ---

    [Fact]
    public void ArgumentsDefaultToImageEntrypointThenCmd() =>
        Assert.Equal(["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"], SpecBuilder.Arguments(new ContainerSettings(), Image()));

    [Fact]
    public void CommandReplacesImageCmdButKeepsEntrypoint() =>
        Assert.Equal(["/docker-entrypoint.sh", "sh", "-c", "id"],
            SpecBuilder.Arguments(new ContainerSettings { Command = ["sh", "-c", "id"] }, Image()));

    [Fact]
    public void EntrypointReplacesImageEntrypointAndDropsImageCmd() =>
        Assert.Equal(["/bin/sh"], SpecBuilder.Arguments(new ContainerSettings { Entrypoint = ["/bin/sh"] }, Image()));

    [Fact]
    public void EntrypointAndCommandTogether() =>
        Assert.Equal(["/bin/sh", "-c", "echo hi"],
            SpecBuilder.Arguments(new ContainerSettings { Entrypoint = ["/bin/sh"], Command = ["-c", "echo hi"] }, Image()));

    [Fact]
    public void EmptyEntrypointClearsBothAndLeavesTheCommand() =>
        Assert.Equal(["ls"], SpecBuilder.Arguments(new ContainerSettings { Entrypoint = [], Command = ["ls"] }, Image()));

    [Fact]
    public void NoImageAndNoSettingsGiveNoArguments() =>
        Assert.Empty(SpecBuilder.Arguments(new ContainerSettings(), null));

    // --- Environment ---

    [Fact]
    public void EnvironmentDefaultsPathAndSetsHostname() =>
        Assert.Equal(["PATH=" + SpecBuilder.DefaultPath, "HOSTNAME=box"],
            SpecBuilder.Environment(new ContainerSettings(), null, "box"));

    [Fact]
    public void ImagePathReplacesTheDefault()
    {
        var env = SpecBuilder.Environment(new ContainerSettings(), Image(), "box");
        Assert.Equal(["PATH=/opt/bin:/usr/bin", "NGINX_VERSION=1.27", "HOSTNAME=box"], env);
    }

    [Fact]
    public void UserEnvironmentOverridesImageAndComesLast()
    {
        var settings = new ContainerSettings { Environment = ["NGINX_VERSION=2", "EXTRA=a=b", "HOSTNAME=custom"] };
        var env = SpecBuilder.Environment(settings, Image(), "box");
        Assert.Equal(["PATH=/opt/bin:/usr/bin", "NGINX_VERSION=2", "EXTRA=a=b", "HOSTNAME=custom"], env);
        Assert.Single(env, e => e.StartsWith("NGINX_VERSION=", StringComparison.Ordinal));
        Assert.Single(env, e => e.StartsWith("HOSTNAME=", StringComparison.Ordinal));
    }

    [Fact]
    public void TtySetsTermUnlessTheUserDoes()
    {
        Assert.Contains("TERM=xterm", SpecBuilder.Environment(new ContainerSettings { Tty = true }, null, "h"));
        Assert.DoesNotContain(SpecBuilder.Environment(new ContainerSettings(), null, "h"), e => e.StartsWith("TERM=", StringComparison.Ordinal));
        var custom = SpecBuilder.Environment(new ContainerSettings { Tty = true, Environment = ["TERM=vt100"] }, null, "h");
        Assert.Equal(["TERM=vt100"], custom.Where(e => e.StartsWith("TERM=", StringComparison.Ordinal)));
    }

    [Fact]
    public void KeysAreComparedExactly()
    {
        var env = SpecBuilder.Environment(new ContainerSettings { Environment = ["PATHX=1", "path=2"] }, null, "h");
        Assert.Contains("PATH=" + SpecBuilder.DefaultPath, env);
        Assert.Contains("PATHX=1", env);
        Assert.Contains("path=2", env);
    }

    // --- Build ---

    [Fact]
    public void BuildUsesRecordedCommandRootfsAndShortIdHostname()
    {
        var spec = Build(new ContainerSettings());
        Assert.Equal(["/docker-entrypoint.sh", "nginx"], spec.Process.Args);
        Assert.Equal(Rootfs, spec.Root.Path);
        Assert.False(spec.Root.Readonly);
        Assert.Equal(Id[..12], spec.Hostname);
        Assert.Contains("HOSTNAME=" + Id[..12], spec.Process.Env);
        Assert.Equal("/pscontainer/" + Id, spec.Linux.CgroupsPath);
        Assert.Equal("nginx:latest", spec.Annotations!["org.opencontainers.image.ref.name"]);
    }

    [Fact]
    public void HostnameSettingWins()
    {
        var spec = Build(new ContainerSettings { Hostname = "web1" });
        Assert.Equal("web1", spec.Hostname);
        Assert.Contains("HOSTNAME=web1", spec.Process.Env);
    }

    [Theory]
    [InlineData(null, "/srv")]
    [InlineData("/work", "/work")]
    public void WorkingDirectoryFromSettingsThenImage(string? setting, string expected) =>
        Assert.Equal(expected, Build(new ContainerSettings { WorkingDirectory = setting }).Process.Cwd);

    [Fact]
    public void WorkingDirectoryDefaultsToRoot()
    {
        var image = Image();
        image.WorkingDir = "";
        Assert.Equal("/", Build(new ContainerSettings(), image: image).Process.Cwd);
    }

    [Theory]
    [InlineData(CgroupMode.V2, true)]
    [InlineData(CgroupMode.Hybrid, false)]
    [InlineData(CgroupMode.V1, false)]
    public void CgroupNamespaceOnlyOnV2(CgroupMode mode, bool expected)
    {
        var types = Build(new ContainerSettings(), mode).Linux.Namespaces.Select(n => n.Type).ToList();
        Assert.Equal(["pid", "network", "ipc", "uts", "mount"], types.Where(t => t != "cgroup"));
        Assert.Equal(expected, types.Contains("cgroup"));
        Assert.All(Build(new ContainerSettings(), mode).Linux.Namespaces, n => Assert.Null(n.Path));
    }

    [Fact]
    public void DockerDefaultCapabilitiesInEverySet()
    {
        var caps = Build(new ContainerSettings()).Process.Capabilities!;
        string[] docker =
        [
            "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_MKNOD",
            "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
        ];
        Assert.Equal(docker, caps.Bounding.Order(StringComparer.Ordinal));
        Assert.Equal(docker, caps.Effective.Order(StringComparer.Ordinal));
        Assert.Equal(docker, caps.Permitted.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("CAP_SYS_ADMIN", caps.Bounding);
    }

    [Fact]
    public void MaskedAndReadonlyPathsAndNoNewPrivileges()
    {
        var spec = Build(new ContainerSettings());
        Assert.True(spec.Process.NoNewPrivileges);
        Assert.Contains("/proc/kcore", spec.Linux.MaskedPaths!);
        Assert.Contains("/proc/keys", spec.Linux.MaskedPaths!);
        Assert.Contains("/sys/firmware", spec.Linux.MaskedPaths!);
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], spec.Linux.ReadonlyPaths!);
    }

    [Fact]
    public void AllowListSeccompFilterForTheDefaultCapabilities()
    {
        var seccomp = Build(new ContainerSettings()).Linux.Seccomp!;
        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Equal(1u, seccomp.DefaultErrnoRet);
        var allowed = seccomp.Syscalls.Where(r => r.Action == "SCMP_ACT_ALLOW" && r.Args is null).SelectMany(r => r.Names).ToHashSet();
        Assert.Contains("read", allowed);
        Assert.Contains("chroot", allowed);
        Assert.DoesNotContain("unshare", allowed);
        Assert.DoesNotContain("keyctl", allowed);
        Assert.DoesNotContain("io_uring_setup", allowed);
    }

    [Fact]
    public void StandardMountsAndWritableEtcBinds()
    {
        var mounts = Build(new ContainerSettings()).Mounts;
        string[] expected = ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), mounts.Select(m => m.Destination).Order(StringComparer.Ordinal));
        // A mount must come after the mount of any directory above it.
        var order = mounts.Select(m => m.Destination).ToList();
        Assert.All(order, d => Assert.True(order.IndexOf(d) > order.FindIndex(p => p != d && d.StartsWith(p + "/", StringComparison.Ordinal))));
        var hosts = mounts.Single(m => m.Destination == "/etc/hosts");
        Assert.Equal("bind", hosts.Type);
        Assert.Equal(Path.Combine(ContainerDir, "hosts"), hosts.Source);
        Assert.Contains("rw", hosts.Options!);
        Assert.Contains("ro", mounts.Single(m => m.Destination == "/sys").Options!);
    }

    [Fact]
    public void ReadOnlyRootGetsTmpfsScratchAndReadOnlyEtcBinds()
    {
        var spec = Build(new ContainerSettings { ReadOnly = true });
        Assert.True(spec.Root.Readonly);
        foreach (var dir in new[] { "/tmp", "/var/tmp", "/run" })
        {
            var m = spec.Mounts.Single(m => m.Destination == dir);
            Assert.Equal("tmpfs", m.Type);
            Assert.Contains("rw", m.Options!);
        }
        foreach (var file in new[] { "/etc/hostname", "/etc/hosts", "/etc/resolv.conf" })
        {
            var m = spec.Mounts.Single(m => m.Destination == file);
            Assert.Contains("ro", m.Options!);
            Assert.DoesNotContain("rw", m.Options!);
        }
    }

    [Fact]
    public void WritableRootHasNoScratchTmpfs() =>
        Assert.DoesNotContain(Build(new ContainerSettings()).Mounts, m => m.Destination is "/tmp" or "/var/tmp" or "/run");

    [Fact]
    public void NoLimitsMeansOnlyTheDeviceRule()
    {
        var resources = Build(new ContainerSettings()).Linux.Resources!;
        Assert.Null(resources.Memory);
        Assert.Null(resources.Cpu);
        Assert.Null(resources.Pids);
        var rule = Assert.Single(resources.Devices!);
        Assert.False(rule.Allow);
        Assert.Equal("rwm", rule.Access);
    }

    [Fact]
    public void MemorySwapDefaultsToTwiceMemory()
    {
        var memory = Build(new ContainerSettings { Memory = 256L << 20 }).Linux.Resources!.Memory!;
        Assert.Equal(256L << 20, memory.Limit);
        Assert.Equal(512L << 20, memory.Swap);
    }

    [Theory]
    [InlineData(300L << 20)]
    [InlineData(-1L)]
    public void ExplicitMemorySwapIsKept(long swap) =>
        Assert.Equal(swap, Build(new ContainerSettings { Memory = 256L << 20, MemorySwap = swap }).Linux.Resources!.Memory!.Swap);

    [Theory]
    [InlineData(1.0, 100_000L)]
    [InlineData(0.5, 50_000L)]
    [InlineData(1.5, 150_000L)]
    [InlineData(2.0, 200_000L)]
    [InlineData(0.333, 33_300L)]
    public void CpuQuotaIsCpusTimesPeriod(double cpus, long quota)
    {
        var cpu = Build(new ContainerSettings { Cpus = cpus }).Linux.Resources!.Cpu!;
        Assert.Equal(100_000UL, cpu.Period);
        Assert.Equal(quota, cpu.Quota);
    }

    [Fact]
    public void PidsLimit() =>
        Assert.Equal(100, Build(new ContainerSettings { PidsLimit = 100 }).Linux.Resources!.Pids!.Limit);

    [Fact]
    public void RlimitsOnlyWhenUlimitsAreSet()
    {
        Assert.Null(Build(new ContainerSettings()).Process.Rlimits);
        var spec = Build(new ContainerSettings { Ulimits = [new UlimitSetting { Name = "nofile", Soft = 1024, Hard = 2048 }] });
        var limit = Assert.Single(spec.Process.Rlimits!);
        Assert.Equal("RLIMIT_NOFILE", limit.Type);
        Assert.Equal(1024UL, limit.Soft);
        Assert.Equal(2048UL, limit.Hard);
    }

    [Fact]
    public void UserIdsAndSupplementaryGroups()
    {
        var plain = SpecBuilder.Build(Record(new ContainerSettings()), Image(), Rootfs, ContainerDir, new ContainerUser.Ids(1000, 1000, []), CgroupMode.V2);
        Assert.Equal(1000U, plain.Process.User.Uid);
        Assert.Equal(1000U, plain.Process.User.Gid);
        Assert.Null(plain.Process.User.AdditionalGids);
        var grouped = SpecBuilder.Build(Record(new ContainerSettings()), Image(), Rootfs, ContainerDir, new ContainerUser.Ids(1000, 1000, [10, 29]), CgroupMode.V2);
        Assert.Equal([10U, 29U], grouped.Process.User.AdditionalGids!);
    }

    [Fact]
    public void TtyMakesATerminal()
    {
        Assert.True(Build(new ContainerSettings { Tty = true }).Process.Terminal);
        Assert.False(Build(new ContainerSettings()).Process.Terminal);
    }

    // --- config.json ---

    private static JsonElement Serialize(ContainerSettings settings, CgroupMode mode = CgroupMode.V2)
    {
        var json = JsonSerializer.Serialize(Build(settings, mode), OciJsonContext.Default.OciSpec);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    [Fact]
    public void ConfigJsonUsesOciFieldNames()
    {
        var root = Serialize(new ContainerSettings
        {
            Memory = 64L << 20, Cpus = 0.5, PidsLimit = 50, ReadOnly = true,
            Ulimits = [new UlimitSetting { Name = "nofile", Soft = 10, Hard = 20 }],
        });
        Assert.Equal("1.0.2", root.GetProperty("ociVersion").GetString());
        var process = root.GetProperty("process");
        Assert.Equal("/docker-entrypoint.sh", process.GetProperty("args")[0].GetString());
        Assert.Equal(JsonValueKind.Array, process.GetProperty("env").ValueKind);
        Assert.Equal("/srv", process.GetProperty("cwd").GetString());
        Assert.Equal(0U, process.GetProperty("user").GetProperty("uid").GetUInt32());
        Assert.Equal(0U, process.GetProperty("user").GetProperty("gid").GetUInt32());
        Assert.True(process.GetProperty("noNewPrivileges").GetBoolean());
        Assert.False(process.GetProperty("terminal").GetBoolean());
        Assert.Equal(JsonValueKind.Array, process.GetProperty("capabilities").GetProperty("bounding").ValueKind);
        var rlimit = process.GetProperty("rlimits")[0];
        Assert.Equal("RLIMIT_NOFILE", rlimit.GetProperty("type").GetString());
        Assert.Equal(10UL, rlimit.GetProperty("soft").GetUInt64());
        Assert.Equal(20UL, rlimit.GetProperty("hard").GetUInt64());

        Assert.Equal(Rootfs, root.GetProperty("root").GetProperty("path").GetString());
        Assert.True(root.GetProperty("root").GetProperty("readonly").GetBoolean());
        Assert.Equal(Id[..12], root.GetProperty("hostname").GetString());
        var mount = root.GetProperty("mounts")[0];
        Assert.Equal("/proc", mount.GetProperty("destination").GetString());
        Assert.Equal("proc", mount.GetProperty("type").GetString());
        Assert.Equal("proc", mount.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Array, mount.GetProperty("options").ValueKind);

        var linux = root.GetProperty("linux");
        Assert.Equal("pid", linux.GetProperty("namespaces")[0].GetProperty("type").GetString());
        Assert.Equal("/pscontainer/" + Id, linux.GetProperty("cgroupsPath").GetString());
        Assert.Equal(JsonValueKind.Array, linux.GetProperty("maskedPaths").ValueKind);
        Assert.Equal(JsonValueKind.Array, linux.GetProperty("readonlyPaths").ValueKind);
        var resources = linux.GetProperty("resources");
        Assert.Equal(64L << 20, resources.GetProperty("memory").GetProperty("limit").GetInt64());
        Assert.Equal(128L << 20, resources.GetProperty("memory").GetProperty("swap").GetInt64());
        Assert.Equal(50_000, resources.GetProperty("cpu").GetProperty("quota").GetInt64());
        Assert.Equal(100_000UL, resources.GetProperty("cpu").GetProperty("period").GetUInt64());
        Assert.Equal(50, resources.GetProperty("pids").GetProperty("limit").GetInt64());
        Assert.False(resources.GetProperty("devices")[0].GetProperty("allow").GetBoolean());
        Assert.Equal("rwm", resources.GetProperty("devices")[0].GetProperty("access").GetString());
    }

    [Fact]
    public void ConfigJsonOmitsUnsetOptionalFields()
    {
        var root = Serialize(new ContainerSettings());
        var process = root.GetProperty("process");
        Assert.False(process.TryGetProperty("rlimits", out _));
        Assert.False(process.TryGetProperty("consoleSize", out _));
        Assert.False(process.TryGetProperty("oomScoreAdj", out _));
        Assert.False(process.GetProperty("user").TryGetProperty("additionalGids", out _));
        var resources = root.GetProperty("linux").GetProperty("resources");
        Assert.False(resources.TryGetProperty("memory", out _));
        Assert.False(resources.TryGetProperty("cpu", out _));
        Assert.False(resources.TryGetProperty("pids", out _));
        Assert.False(root.GetProperty("linux").TryGetProperty("sysctl", out _));
        Assert.False(root.GetProperty("linux").GetProperty("namespaces")[0].TryGetProperty("path", out _));
    }

    [Fact]
    public void ConfigJsonRoundTrips()
    {
        var spec = Build(new ContainerSettings { Memory = 1L << 30, Cpus = 2 });
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(spec, OciJsonContext.Default.OciSpec), OciJsonContext.Default.OciSpec)!;
        Assert.Equal(spec.Process.Args, back.Process.Args);
        Assert.Equal(spec.Process.Env, back.Process.Env);
        Assert.Equal(spec.Linux.Resources!.Memory!.Limit, back.Linux.Resources!.Memory!.Limit);
        Assert.Equal(spec.Linux.Resources.Cpu!.Quota, back.Linux.Resources.Cpu!.Quota);
        Assert.Equal(spec.Mounts.Select(m => m.Destination), back.Mounts.Select(m => m.Destination));
    }
}
