using PSContainer.Engine;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Runtime;

namespace PSContainer.Tests.Runtime;

public sealed class SeccompProfileTests
{
    private static readonly SeccompHost Amd64 = new("amd64", new Version(6, 1));
    private static readonly SeccompHost Arm64 = new("arm64", new Version(6, 1));
    private static readonly SeccompHost S390x = new("s390x", new Version(6, 1));

    // Docker's default capability set.
    private static readonly string[] DefaultCaps =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    private static OciSeccomp Default(SeccompHost? host = null, params string[] extraCaps) =>
        SeccompProfile.Generate(SeccompProfile.Default, [.. DefaultCaps, .. extraCaps], host ?? Amd64);

    private static HashSet<string> Unconditional(OciSeccomp seccomp) =>
        seccomp.Syscalls.Where(r => r.Action == "SCMP_ACT_ALLOW" && r.Args is null).SelectMany(r => r.Names).ToHashSet(StringComparer.Ordinal);

    private static List<OciSyscallRule> RulesFor(OciSeccomp seccomp, string name) =>
        seccomp.Syscalls.Where(r => r.Names.Contains(name)).ToList();

    // --- The default profile ---

    [Fact]
    public void DefaultRefusesWithEpermAndAllowsOrdinaryCalls()
    {
        var seccomp = Default();
        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Equal(1u, seccomp.DefaultErrnoRet);
        var allowed = Unconditional(seccomp);
        foreach (var name in new[] { "read", "write", "openat", "execve", "fork", "futex", "epoll_wait", "pipe2", "socketpair", "io_setup", "ptrace", "chroot" })
            Assert.Contains(name, allowed);
    }

    [Theory]
    [InlineData("io_uring_setup")]
    [InlineData("io_uring_enter")]
    [InlineData("io_uring_register")]
    [InlineData("move_pages")]
    [InlineData("migrate_pages")]
    [InlineData("keyctl")]
    [InlineData("add_key")]
    [InlineData("request_key")]
    [InlineData("userfaultfd")]
    [InlineData("unshare")]
    [InlineData("setns")]
    [InlineData("mount")]
    [InlineData("bpf")]
    [InlineData("perf_event_open")]
    [InlineData("kexec_load")]
    [InlineData("init_module")]
    [InlineData("clock_settime")]
    [InlineData("reboot")]
    [InlineData("mbind")]
    [InlineData("pivot_root")]
    [InlineData("open_by_handle_at")]
    // The rest of the table of significant refused calls in Docker's seccomp documentation.
    [InlineData("acct")]
    [InlineData("create_module")]
    [InlineData("delete_module")]
    [InlineData("finit_module")]
    [InlineData("get_kernel_syms")]
    [InlineData("get_mempolicy")]
    [InlineData("ioperm")]
    [InlineData("iopl")]
    [InlineData("kcmp")]
    [InlineData("kexec_file_load")]
    [InlineData("lookup_dcookie")]
    [InlineData("nfsservctl")]
    [InlineData("query_module")]
    [InlineData("quotactl")]
    [InlineData("set_mempolicy")]
    [InlineData("settimeofday")]
    [InlineData("stime")]
    [InlineData("swapon")]
    [InlineData("swapoff")]
    [InlineData("sysfs")]
    [InlineData("_sysctl")]
    [InlineData("umount")]
    [InlineData("umount2")]
    [InlineData("uselib")]
    [InlineData("ustat")]
    [InlineData("vm86")]
    [InlineData("vm86old")]
    public void DefaultNeverAllowsWhatDockerRefuses(string name) =>
        Assert.DoesNotContain(RulesFor(Default(), name), r => r.Action == "SCMP_ACT_ALLOW");

    [Fact]
    public void ArchitecturesAreTheHostsWithItsCompatibilityModes()
    {
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], Default(Amd64).Architectures);
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], Default(Arm64).Architectures);
    }

    [Fact]
    public void ArchitectureSpecificCallsOnlyOnTheirArchitecture()
    {
        Assert.Contains("arch_prctl", Unconditional(Default(Amd64)));
        Assert.Contains("modify_ldt", Unconditional(Default(Amd64)));
        Assert.DoesNotContain("arch_prctl", Unconditional(Default(Arm64)));
        Assert.Contains("set_tls", Unconditional(Default(Arm64)));
        Assert.DoesNotContain("set_tls", Unconditional(Default(Amd64)));
    }

    [Fact]
    public void PersonalityOnlyForTheCommonPersonas()
    {
        var rules = RulesFor(Default(), "personality");
        Assert.All(rules, r => Assert.Equal("SCMP_ACT_ALLOW", r.Action));
        var values = rules.Select(r => Assert.Single(r.Args!)).Select(a => (a.Index, a.Op, a.Value)).ToList();
        Assert.Equal([(0u, "SCMP_CMP_EQ", 0ul), (0u, "SCMP_CMP_EQ", 8ul), (0u, "SCMP_CMP_EQ", 0x20000ul), (0u, "SCMP_CMP_EQ", 0x20008ul), (0u, "SCMP_CMP_EQ", 0xffffffffUL)], values);
    }

    [Fact]
    public void SocketForEveryFamilyButAlgAndVsock()
    {
        var rules = RulesFor(Default(), "socket");
        var conditions = rules.Select(r => Assert.Single(r.Args!)).Select(a => (a.Op, a.Value)).ToList();
        Assert.Equal([("SCMP_CMP_LT", 38ul), ("SCMP_CMP_EQ", 39ul), ("SCMP_CMP_GT", 40ul)], conditions);
        bool Allowed(ulong family) => conditions.Any(c => c.Op switch
        {
            "SCMP_CMP_LT" => family < c.Value,
            "SCMP_CMP_EQ" => family == c.Value,
            _ => family > c.Value,
        });
        Assert.True(Allowed(2)); // AF_INET
        Assert.True(Allowed(16)); // AF_NETLINK
        Assert.False(Allowed(38)); // AF_ALG
        Assert.False(Allowed(40)); // AF_VSOCK
        Assert.True(Allowed(41));
    }

    [Fact]
    public void WithoutSysAdminCloneMayNotMakeNamespacesAndClone3ReportsEnosys()
    {
        var seccomp = Default();
        var clone = Assert.Single(RulesFor(seccomp, "clone"));
        var arg = Assert.Single(clone.Args!);
        Assert.Equal((0u, "SCMP_CMP_MASKED_EQ", 0x7E020000ul, 0ul), (arg.Index, arg.Op, arg.Value, arg.ValueTwo));
        var clone3 = Assert.Single(RulesFor(seccomp, "clone3"));
        Assert.Equal(("SCMP_ACT_ERRNO", 38u), (clone3.Action, clone3.ErrnoRet));
    }

    [Fact]
    public void CloneFlagsAreTheSecondArgumentOnS390()
    {
        var clone = Assert.Single(RulesFor(Default(S390x), "clone"));
        Assert.Equal(1u, Assert.Single(clone.Args!).Index);
    }

    [Fact]
    public void SysAdminAllowsNamespacesMountsAndPlainClone3()
    {
        var seccomp = Default(null, "CAP_SYS_ADMIN");
        var allowed = Unconditional(seccomp);
        foreach (var name in new[] { "unshare", "setns", "mount", "umount2", "clone", "clone3", "bpf", "perf_event_open", "sethostname", "syslog" })
            Assert.Contains(name, allowed);
        Assert.DoesNotContain(RulesFor(seccomp, "clone"), r => r.Args is not null);
        Assert.DoesNotContain(RulesFor(seccomp, "clone3"), r => r.Action == "SCMP_ACT_ERRNO");
    }

    [Theory]
    [InlineData("CAP_SYS_PTRACE", new[] { "kcmp", "pidfd_getfd", "process_madvise" })]
    [InlineData("CAP_SYS_NICE", new[] { "mbind", "set_mempolicy", "get_mempolicy", "set_mempolicy_home_node" })]
    [InlineData("CAP_SYS_TIME", new[] { "settimeofday", "clock_settime", "clock_settime64", "stime" })]
    [InlineData("CAP_SYS_MODULE", new[] { "init_module", "finit_module", "delete_module" })]
    [InlineData("CAP_SYS_BOOT", new[] { "reboot" })]
    [InlineData("CAP_SYSLOG", new[] { "syslog" })]
    [InlineData("CAP_BPF", new[] { "bpf" })]
    [InlineData("CAP_PERFMON", new[] { "perf_event_open" })]
    [InlineData("CAP_DAC_READ_SEARCH", new[] { "open_by_handle_at" })]
    [InlineData("CAP_SYS_PACCT", new[] { "acct" })]
    [InlineData("CAP_SYS_RAWIO", new[] { "iopl", "ioperm" })]
    [InlineData("CAP_SYS_TTY_CONFIG", new[] { "vhangup" })]
    public void ACapabilityAddsItsGroupAndOnlyThen(string capability, string[] calls)
    {
        var without = Unconditional(Default());
        var with = Unconditional(Default(null, capability));
        foreach (var call in calls)
        {
            Assert.DoesNotContain(call, without);
            Assert.Contains(call, with);
        }
        Assert.DoesNotContain("unshare", with);
    }

    [Fact]
    public void DroppingSysChrootRemovesChroot()
    {
        var seccomp = SeccompProfile.Generate(SeccompProfile.Default, DefaultCaps.Where(c => c != "CAP_SYS_CHROOT").ToList(), Amd64);
        Assert.DoesNotContain("chroot", Unconditional(seccomp));
    }

    [Fact]
    public void PtraceWithoutTheCapabilityNeedsKernel48()
    {
        Assert.Contains("ptrace", Unconditional(Default(new SeccompHost("amd64", new Version(4, 8)))));
        Assert.DoesNotContain("ptrace", Unconditional(Default(new SeccompHost("amd64", new Version(4, 4)))));
        Assert.Contains("ptrace", Unconditional(Default(new SeccompHost("amd64", new Version(4, 4)), "CAP_SYS_PTRACE")));
    }

    [Fact]
    public void EveryRuleNamesKnownActionsAndOperators()
    {
        var seccomp = Default(null, "CAP_SYS_ADMIN", "CAP_SYS_PTRACE");
        Assert.All(seccomp.Syscalls, r => Assert.Contains(r.Action, new[] { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO" }));
        Assert.All(seccomp.Syscalls.SelectMany(r => r.Args ?? []), a => Assert.StartsWith("SCMP_CMP_", a.Op));
    }

    // --- Profiles from files ---

    [Fact]
    public void AnOciProfileIsTakenAsItIs()
    {
        var document = SeccompProfile.Parse("""
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "architectures": ["SCMP_ARCH_X86_64"],
              "syscalls": [
                { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
                { "names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{ "index": 0, "value": 10, "op": "SCMP_CMP_EQ" }] }
              ]
            }
            """, "test.json");
        var seccomp = SeccompProfile.Generate(document, DefaultCaps, Arm64);
        Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
        Assert.Equal(["SCMP_ARCH_X86_64"], seccomp.Architectures);
        Assert.Equal(2, seccomp.Syscalls.Count);
        Assert.Equal(13u, seccomp.Syscalls[0].ErrnoRet);
        Assert.Equal(10ul, Assert.Single(seccomp.Syscalls[1].Args!).Value);
    }

    [Fact]
    public void ADockerProfileHonoursNameCapabilitiesArchesAndArchMap()
    {
        var document = SeccompProfile.Parse("""
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "archMap": [{ "architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"] }],
              "syscalls": [
                { "name": "read", "action": "SCMP_ACT_ALLOW" },
                { "names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["CAP_SYS_ADMIN"] } },
                { "names": ["write"], "action": "SCMP_ACT_ALLOW", "excludes": { "arches": ["arm64"] } }
              ]
            }
            """, "docker.json");
        var seccomp = SeccompProfile.Generate(document, DefaultCaps, Arm64);
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], seccomp.Architectures);
        Assert.Equal(["read"], seccomp.Syscalls.SelectMany(r => r.Names));
        Assert.Null(SeccompProfile.Generate(document, DefaultCaps, Amd64).Architectures);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("{}", "no defaultAction")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_DENY" }""", "defaultAction 'SCMP_ACT_DENY' is unknown")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{ "names": ["read"] }] }""", "syscalls[0] has no action")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{ "action": "SCMP_ACT_ALLOW" }] }""", "syscalls[0] names no system call")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{ "name": "read", "names": ["write"], "action": "SCMP_ACT_ALLOW" }] }""", "both 'name' and 'names'")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{ "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{ "index": 0, "value": 1, "op": "EQ" }] }] }""", "operator 'EQ'")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{ "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{ "index": 6, "value": 1, "op": "SCMP_CMP_EQ" }] }] }""", "argument 6")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "architectures": ["x86_64"] }""", "architecture 'x86_64' is unknown")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "archMap": [{ "architecture": "SCMP_ARCH_X86_64" }] }""", "both 'architectures' and 'archMap'")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": "read" }""", "not valid JSON")]
    public void ABadProfileIsRefusedWithAClearError(string json, string expected)
    {
        var ex = Assert.Throws<EngineException>(() => SeccompProfile.Parse(json, "/tmp/bad.json"));
        Assert.Equal("InvalidSeccompProfile", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("/tmp/bad.json", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    // --- The host ---

    [Theory]
    [InlineData("6.1.0-18-amd64", 6, 1)]
    [InlineData("4.8", 4, 8)]
    [InlineData("6.18.44-fc-v1252", 6, 18)]
    [InlineData("garbage", 0, 0)]
    public void KernelVersionFromTheRelease(string release, int major, int minor) =>
        Assert.Equal(new Version(major, minor), SeccompHost.KernelVersion(release));
}
