using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Runtime;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Containers;

public sealed class ContainerSecurityTests
{
    private static readonly List<string> HostCaps = ["CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_PTRACE"];

    private static SecuritySettings Parse(string[]? opts = null, string[]? add = null, string[]? drop = null, bool privileged = false, string cwd = "/") =>
        SecurityOptions.Parse(opts, add, drop, privileged, cwd);

    private static OciSpec Spec(SecuritySettings security)
    {
        var record = new ContainerRecord { Id = new string('a', 64), Name = "c", ImageName = "busybox", Command = ["sh"], Settings = new ContainerSettings { Security = security } };
        var spec = SpecBuilder.Build(record, new OciRunConfig(), "/rootfs", "/dir", new ContainerUser.Ids(0, 0, []), CgroupMode.V2);
        ContainerSecurity.ApplyTo(spec, security, () => [.. HostCaps], () => [new OciDevice { Path = "/dev/sda", Type = "b", Major = 8 }]);
        return spec;
    }

    // --- Capabilities ---

    [Fact]
    public void NamesWithOrWithoutPrefixAnyCase()
    {
        var settings = Parse(add: ["net_admin", "CAP_SYS_PTRACE", "Sys_Nice,SYSLOG"], drop: ["cap_net_raw"]);
        Assert.Equal(["CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_NICE", "CAP_SYSLOG"], settings.CapAdd);
        Assert.Equal(["CAP_NET_RAW"], settings.CapDrop);
    }

    [Fact]
    public void AnUnknownCapabilityIsRefused()
    {
        var ex = Assert.Throws<EngineException>(() => Parse(add: ["NET_WIZARD"]));
        Assert.Equal("UnknownCapability", ex.ErrorId);
        Assert.Contains("NET_WIZARD", ex.Message);
    }

    [Fact]
    public void AddAndDropChangeDockersDefaultSet()
    {
        var caps = ContainerSecurity.Capabilities(Parse(add: ["NET_ADMIN"], drop: ["CHOWN", "NET_RAW"]), () => HostCaps);
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.Contains("CAP_KILL", caps);
        Assert.DoesNotContain("CAP_CHOWN", caps);
        Assert.DoesNotContain("CAP_NET_RAW", caps);
    }

    [Fact]
    public void AddAllGivesEveryHostCapabilityButTheDropped()
    {
        var caps = ContainerSecurity.Capabilities(Parse(add: ["ALL"], drop: ["SYS_ADMIN"]), () => [.. HostCaps]);
        Assert.Equal(["CAP_CHOWN", "CAP_KILL", "CAP_NET_ADMIN", "CAP_SYS_PTRACE"], caps);
    }

    [Fact]
    public void DropAllKeepsOnlyTheAdded() =>
        Assert.Equal(["CAP_NET_BIND_SERVICE"], ContainerSecurity.Capabilities(Parse(add: ["NET_BIND_SERVICE"], drop: ["all"]), () => HostCaps));

    [Fact]
    public void TheFilterFollowsTheCapabilities()
    {
        var plain = Spec(Parse());
        Assert.DoesNotContain(plain.Linux.Seccomp!.Syscalls, r => r.Action == "SCMP_ACT_ALLOW" && r.Names.Contains("unshare"));
        var admin = Spec(Parse(add: ["SYS_ADMIN"]));
        Assert.Contains("CAP_SYS_ADMIN", admin.Process.Capabilities!.Bounding);
        Assert.Contains(admin.Linux.Seccomp!.Syscalls, r => r.Action == "SCMP_ACT_ALLOW" && r.Names.Contains("unshare"));
        var noChroot = Spec(Parse(drop: ["SYS_CHROOT"]));
        Assert.DoesNotContain(noChroot.Linux.Seccomp!.Syscalls, r => r.Names.Contains("chroot"));
    }

    // --- -SecurityOpt ---

    [Fact]
    public void DefaultsAreTheDefaultProfileAndNoNewPrivileges()
    {
        var settings = Parse();
        Assert.Equal("default", settings.SeccompProfile);
        Assert.True(settings.NoNewPrivileges);
        Assert.Equal("default", ContainerSecurity.ProfileInUse(settings));
    }

    [Fact]
    public void UnconfinedMeansNoFilter()
    {
        var settings = Parse(["seccomp=unconfined"]);
        Assert.Equal("unconfined", ContainerSecurity.ProfileInUse(settings));
        Assert.Null(Spec(settings).Linux.Seccomp);
        Assert.Equal(["seccomp=unconfined"], settings.Options);
    }

    [Theory]
    [InlineData("no-new-privileges", true)]
    [InlineData("no-new-privileges=true", true)]
    [InlineData("no-new-privileges:true", true)]
    [InlineData("no-new-privileges=false", false)]
    [InlineData("no-new-privileges=0", false)]
    public void NoNewPrivilegesAsDockerSpellsIt(string option, bool expected)
    {
        var settings = Parse([option]);
        Assert.Equal(expected, settings.NoNewPrivileges);
        Assert.Equal(expected, Spec(settings).Process.NoNewPrivileges);
    }

    [Theory]
    [InlineData("seccomp", "InvalidSecurityOpt")]
    [InlineData("seccomp=", "InvalidSecurityOpt")]
    [InlineData("no-new-privileges=maybe", "InvalidSecurityOpt")]
    [InlineData("mask=/proc/x", "InvalidSecurityOpt")]
    [InlineData("apparmor=docker-default", "SecurityOptNotSupported")]
    [InlineData("seccomp=/nonexistent/profile.json", "SeccompProfileUnreadable")]
    public void BadOptionsAreRefused(string option, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<EngineException>(() => Parse([option])).ErrorId);

    [Fact]
    public void NoLsmOptionsAreAcceptedAsNothingToDo() =>
        Assert.Equal(["label=disable", "apparmor=unconfined"], Parse(["label=disable", "apparmor=unconfined"]).Options);

    [Fact]
    public void AProfileFileIsReadAtCreationRelativeToTheCurrentDirectory()
    {
        using var dir = new ScratchDir();
        File.WriteAllText(Path.Combine(dir.Root, "p.json"), """{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{ "names": ["mkdir"], "action": "SCMP_ACT_ERRNO" }] }""");
        var settings = Parse(["seccomp=p.json"], cwd: dir.Root);
        var full = Path.Combine(dir.Root, "p.json");
        Assert.Equal(full, settings.SeccompProfile);
        Assert.Equal(["seccomp=" + full], settings.Options);
        File.Delete(full);
        var seccomp = Spec(settings).Linux.Seccomp!;
        Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
        Assert.Equal(["mkdir"], Assert.Single(seccomp.Syscalls).Names);
    }

    [Fact]
    public void ABadProfileFileFailsTheCreation()
    {
        using var dir = new ScratchDir();
        var path = Path.Combine(dir.Root, "bad.json");
        File.WriteAllText(path, """{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{ "names": ["read"], "action": "ALLOW" }] }""");
        var ex = Assert.Throws<EngineException>(() => Parse(["seccomp=" + path]));
        Assert.Equal("InvalidSeccompProfile", ex.ErrorId);
        Assert.Contains(path, ex.Message);
        Assert.Contains("'ALLOW' is unknown", ex.Message);
    }

    [Fact]
    public void SystemPathsUnconfinedUnmasksProcAndSys()
    {
        var spec = Spec(Parse(["systempaths=unconfined"]));
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
        Assert.NotNull(spec.Linux.Seccomp);
    }

    // --- -Privileged ---

    [Fact]
    public void PrivilegedGetsAllCapabilitiesNoFilterNoMasksAndTheHostDevices()
    {
        var settings = Parse(["seccomp=unconfined"], add: ["NET_ADMIN"], privileged: true);
        var spec = Spec(settings);
        Assert.Equal(HostCaps, spec.Process.Capabilities!.Bounding);
        Assert.Equal(HostCaps, spec.Process.Capabilities.Effective);
        Assert.Null(spec.Linux.Seccomp);
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
        Assert.Equal("/dev/sda", Assert.Single(spec.Linux.Devices!).Path);
        var rule = Assert.Single(spec.Linux.Resources!.Devices!);
        Assert.True(rule.Allow);
        Assert.Equal("rwm", rule.Access);
        Assert.Contains("rw", spec.Mounts.Single(m => m.Destination == "/sys").Options!);
        Assert.DoesNotContain("ro", spec.Mounts.Single(m => m.Destination == "/sys/fs/cgroup").Options!);
        Assert.Equal("unconfined", ContainerSecurity.ProfileInUse(settings));
    }

    [Fact]
    public void HostDevicesAreCharacterAndBlockNodesOnly()
    {
        var devices = HostDevices.List();
        Assert.Contains(devices, d => d.Path == "/dev/null" && d.Type == "c" && d.Major == 1 && d.Minor == 3);
        Assert.DoesNotContain(devices, d => d.Path.StartsWith("/dev/pts/", StringComparison.Ordinal) || d.Path == "/dev/console");
    }
}
