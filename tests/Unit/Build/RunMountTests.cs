using PSContainer.Engine;
using PSContainer.Engine.Build;

namespace PSContainer.Tests.Build;

public class RunMountTests
{
    [Fact]
    public void CacheMount_WithAliasesFolded()
    {
        var mount = RunMount.Parse("type=cache,dst=/root/.cache,id=pip,mode=0700,uid=1000,ro");
        Assert.Equal(("cache", "/root/.cache"), (mount.Type, mount.Target));
        Assert.Equal("pip", mount.Options["id"]);
        Assert.Equal(0x1C0u, mount.Mode(0x1ED));
        Assert.Equal(1000, mount.Id("uid", 0));
        Assert.True(mount.IsSet("readonly"));
    }

    [Fact]
    public void SecretMount_DefaultsItsTarget_BindIsTheDefaultType()
    {
        Assert.Equal("/run/secrets/token", RunMount.Parse("type=secret,id=token,required").Target);
        Assert.True(RunMount.Parse("type=secret,id=token,required").IsSet("required"));
        var bind = RunMount.Parse("target=/src,source=app,rw");
        Assert.Equal("bind", bind.Type);
        Assert.True(bind.IsSet("readwrite"));
    }

    [Theory]
    [InlineData("type=volume,target=/x")]
    [InlineData("type=cache")]
    [InlineData("type=secret")]
    public void BadMounts_AreParseErrors(string value)
    {
        var ex = Assert.Throws<EngineException>(() => RunMount.Parse(value));
        Assert.Equal("DockerfileParseError", ex.ErrorId);
    }
}
