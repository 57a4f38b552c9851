using PSContainer.Engine.Containers;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Oci;

namespace PSContainer.Tests.Containers;

public sealed class ContainerExecTests
{
    private static OciProcess Running() => new()
    {
        Args = ["sleep", "1000"],
        Env = ["PATH=/bin", "MODE=prod", "HOSTNAME=abc"],
        Cwd = "/srv",
        User = new OciUser { Uid = 33, Gid = 33 },
        Capabilities = new OciCapabilities { Bounding = ["CAP_KILL"], Effective = ["CAP_KILL"], Permitted = ["CAP_KILL"] },
        Rlimits = [new OciRlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 2048 }],
        NoNewPrivileges = true,
    };

    [Fact]
    public void KeepsTheContainersSettingsUnlessAsked()
    {
        var process = ContainerExec.ProcessFor(Running(), new ExecRequest { Command = ["ls", "-l"] }, null, terminal: false, size: (24, 80));
        Assert.Equal(["ls", "-l"], process.Args);
        Assert.Equal(["PATH=/bin", "MODE=prod", "HOSTNAME=abc"], process.Env);
        Assert.Equal("/srv", process.Cwd);
        Assert.Equal(33u, process.User.Uid);
        Assert.Equal(["CAP_KILL"], process.Capabilities!.Effective);
        Assert.Single(process.Rlimits!);
        Assert.True(process.NoNewPrivileges);
        Assert.False(process.Terminal);
        Assert.Null(process.ConsoleSize);
    }

    [Fact]
    public void AppliesUserDirectoryAndEnvironment()
    {
        var request = new ExecRequest { Command = ["id"], WorkingDirectory = "/tmp", Environment = ["MODE=debug", "EXTRA=1"] };
        var process = ContainerExec.ProcessFor(Running(), request, new ContainerUser.Ids(1000, 1000, [50]), terminal: false, size: null);
        Assert.Equal("/tmp", process.Cwd);
        Assert.Equal(["PATH=/bin", "HOSTNAME=abc", "MODE=debug", "EXTRA=1"], process.Env);
        Assert.Equal(1000u, process.User.Uid);
        Assert.Equal(1000u, process.User.Gid);
        Assert.Equal([50u], process.User.AdditionalGids!);
    }

    [Fact]
    public void ATerminalGetsTermAndTheWindowSize()
    {
        var process = ContainerExec.ProcessFor(Running(), new ExecRequest { Command = ["sh"] }, null, terminal: true, size: (40, 120));
        Assert.True(process.Terminal);
        Assert.Contains("TERM=xterm", process.Env);
        Assert.Equal(40u, process.ConsoleSize!.Height);
        Assert.Equal(120u, process.ConsoleSize.Width);
    }

    [Fact]
    public void PrivilegedGetsEveryCapabilityTheHostHas()
    {
        var process = ContainerExec.ProcessFor(Running(), new ExecRequest { Command = ["sh"], Privileged = true }, null, terminal: false, size: null);
        Assert.Contains("CAP_SYS_ADMIN", process.Capabilities!.Bounding);
        Assert.Equal(process.Capabilities.Bounding, process.Capabilities.Effective);
        Assert.Equal(process.Capabilities.Bounding, process.Capabilities.Permitted);
    }
}
