using PSContainer.Engine;
using PSContainer.Engine.Volumes;

namespace PSContainer.Tests.Volumes;

public sealed class MountParserTests
{
    private const string Cwd = "/home/user/project";

    [Theory]
    [InlineData("data:/data", MountType.Volume, "data", "/data", false)]
    [InlineData("data:/data:ro", MountType.Volume, "data", "/data", true)]
    [InlineData("data:/data:rw", MountType.Volume, "data", "/data", false)]
    [InlineData("my.vol_1-x:/var/lib/db:z", MountType.Volume, "my.vol_1-x", "/var/lib/db", false)]
    [InlineData("data:/data:ro,Z", MountType.Volume, "data", "/data", true)]
    [InlineData("/srv/www:/var/www", MountType.Bind, "/srv/www", "/var/www", false)]
    [InlineData("/srv/www/:/var/www/:ro", MountType.Bind, "/srv/www", "/var/www", true)]
    [InlineData("/srv/../etc:/x", MountType.Bind, "/etc", "/x", false)]
    [InlineData("./conf:/etc/app", MountType.Bind, "/home/user/project/conf", "/etc/app", false)]
    [InlineData("../shared:/shared:ro", MountType.Bind, "/home/user/shared", "/shared", true)]
    [InlineData("/:/host:ro", MountType.Bind, "/", "/host", true)]
    [InlineData("data:/a/./b//c", MountType.Volume, "data", "/a/b/c", false)]
    public void ReadsTheShortForm(string spec, MountType type, string source, string target, bool readOnly)
    {
        var mount = MountParser.ParseVolume(spec, Cwd);
        Assert.Equal(type, mount.Type);
        Assert.Equal(source, mount.Source);
        Assert.Equal(target, mount.Target);
        Assert.Equal(readOnly, mount.ReadOnly);
        Assert.False(mount.Anonymous);
    }

    [Theory]
    [InlineData("/data", false)]
    [InlineData("/data:ro", true)]
    public void APathAloneIsAnAnonymousVolume(string spec, bool readOnly)
    {
        var mount = MountParser.ParseVolume(spec, Cwd);
        Assert.Equal(MountType.Volume, mount.Type);
        Assert.Null(mount.Source);
        Assert.True(mount.Anonymous);
        Assert.Equal("/data", mount.Target);
        Assert.Equal(readOnly, mount.ReadOnly);
    }

    [Fact]
    public void NocopyIsForVolumes()
    {
        Assert.True(MountParser.ParseVolume("data:/data:nocopy", Cwd).NoCopy);
        Assert.Equal("InvalidMount", Assert.Throws<EngineException>(() => MountParser.ParseVolume("/srv:/data:nocopy", Cwd)).ErrorId);
    }

    [Theory]
    [InlineData("data:relative", "InvalidMountDestination")]
    [InlineData("data:/a/../etc", "InvalidMountDestination")]
    [InlineData("data:/..", "InvalidMountDestination")]
    [InlineData("/srv:/x/..:ro", "InvalidMountDestination")]
    [InlineData("data:/", "InvalidMountDestination")]
    [InlineData("relative", "InvalidMountDestination")]
    [InlineData("a:/b:ro:extra", "InvalidMount")]
    [InlineData(":/data", "InvalidMount")]
    [InlineData("data:/data:rw,ro", "InvalidMount")]
    [InlineData("data:/data:shared", "InvalidMount")]
    [InlineData("-bad:/data", "InvalidVolumeName")]
    [InlineData("x:/data", "InvalidVolumeName")]
    [InlineData("a b:/data", "InvalidVolumeName")]
    public void RefusesBadShortForms(string spec, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<EngineException>(() => MountParser.ParseVolume(spec, Cwd)).ErrorId);

    [Fact]
    public void ReadsDockersMountString()
    {
        var mount = MountParser.ParseMount("type=volume,source=vx,target=/y,readonly", Cwd);
        Assert.Equal(MountType.Volume, mount.Type);
        Assert.Equal("vx", mount.Source);
        Assert.Equal("/y", mount.Target);
        Assert.True(mount.ReadOnly);

        var bind = MountParser.ParseMount("type=bind,src=/srv,dst=/srv,ro=false", Cwd);
        Assert.Equal((MountType.Bind, "/srv", "/srv", false), (bind.Type, bind.Source, bind.Target, bind.ReadOnly));

        var anonymous = MountParser.ParseMount("target=/cache", Cwd);
        Assert.Equal(MountType.Volume, anonymous.Type);
        Assert.True(anonymous.Anonymous);
        Assert.Null(anonymous.Source);

        var nocopy = MountParser.ParseMount("type=volume,source=vx,destination=/y,volume-nocopy", Cwd);
        Assert.True(nocopy.NoCopy);
    }

    [Fact]
    public void ReadsTmpfsSizeAndMode()
    {
        var mount = MountParser.ParseMount("type=tmpfs,target=/scratch,tmpfs-size=64m,tmpfs-mode=1700", Cwd);
        Assert.Equal(MountType.Tmpfs, mount.Type);
        Assert.Equal(64L << 20, mount.TmpfsSize);
        Assert.Equal(0x3C0u, mount.TmpfsMode);
        Assert.Null(mount.Source);
    }

    [Fact]
    public void HashtableKeysMatchIgnoringCaseAndDashes()
    {
        var fields = new Dictionary<string, string?>
        {
            ["Type"] = "tmpfs", ["Target"] = "/run/cache", ["ReadOnly"] = "true", ["TmpfsSize"] = "67108864",
        };
        var mount = MountParser.FromFields(fields, Cwd, "@{…}");
        Assert.Equal((MountType.Tmpfs, "/run/cache", true, 67108864L), (mount.Type, mount.Target, mount.ReadOnly, mount.TmpfsSize));
    }

    [Theory]
    [InlineData("type=bind,target=/x", "InvalidMount")]
    [InlineData("type=tmpfs,source=vx,target=/x", "InvalidMount")]
    [InlineData("type=nfs,target=/x", "InvalidMount")]
    [InlineData("type=volume,source=x", "InvalidMount")]
    [InlineData("type=volume,source=vx,target=/x,tmpfs-size=1m", "InvalidMount")]
    [InlineData("type=bind,source=/x,target=/x,volume-nocopy", "InvalidMount")]
    [InlineData("type=volume,source=vx,target=/x,colour=blue", "InvalidMount")]
    [InlineData("type=volume,source=vx,target=/x,readonly=maybe", "InvalidMount")]
    [InlineData("type=tmpfs,target=/x,tmpfs-size=lots", "InvalidMount")]
    [InlineData("type=tmpfs,target=/x,tmpfs-mode=999", "InvalidMount")]
    [InlineData("type=volume,source=vx,target=x", "InvalidMountDestination")]
    [InlineData("type=volume,source=vx,target=/../../etc", "InvalidMountDestination")]
    [InlineData("type=volume,source=../x,target=/x", "InvalidVolumeName")]
    [InlineData("type=volume,source=x,target=/x", "InvalidVolumeName")]
    public void RefusesBadMountStrings(string spec, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<EngineException>(() => MountParser.ParseMount(spec, Cwd)).ErrorId);

    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("64k", 64L << 10)]
    [InlineData("64MB", 64L << 20)]
    [InlineData("2g", 2L << 30)]
    public void ReadsSizes(string text, long bytes) => Assert.Equal(bytes, MountParser.ParseSize(text, text));

    [Theory]
    [InlineData("data", true)]
    [InlineData("a1", true)]
    [InlineData("My_Vol.2-b", true)]
    [InlineData("a", false)]
    [InlineData(".hidden", false)]
    [InlineData("_x", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("a:b", false)]
    public void VolumeNamesFollowDockersRule(string name, bool valid) => Assert.Equal(valid, VolumeNames.IsValid(name));

    [Fact]
    public void GeneratedNamesAreSixtyFourHexDigits()
    {
        var name = VolumeNames.Generate();
        Assert.Matches("^[0-9a-f]{64}$", name);
        Assert.True(VolumeNames.IsValid(name));
    }
}
