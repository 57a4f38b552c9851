using PSContainer.Engine;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Oci;

namespace PSContainer.Tests.Runtime;

public sealed class HostLimitsTests
{
    private const int RLIMIT_NOFILE = 7;

    [Theory]
    [InlineData("nofile=1024:2048", "nofile", 1024UL, 2048UL)]
    [InlineData("nofile=1024", "nofile", 1024UL, 1024UL)]
    [InlineData("NOFILE=5:6", "nofile", 5UL, 6UL)]
    [InlineData("core=-1", "core", ulong.MaxValue, ulong.MaxValue)]
    [InlineData("core=0:-1", "core", 0UL, ulong.MaxValue)]
    [InlineData("nproc=0", "nproc", 0UL, 0UL)]
    public void Parses(string text, string name, ulong soft, ulong hard)
    {
        var limit = HostLimits.Parse(text);
        Assert.Equal((name, soft, hard), (limit.Name, limit.Soft, limit.Hard));
    }

    [Theory]
    [InlineData("nofile")]
    [InlineData("nofile=")]
    [InlineData("nofile=abc")]
    [InlineData("nofile=1:x")]
    [InlineData("nofile=1:2:3")]
    [InlineData("nofile=-2")]
    [InlineData("nofile= 1")]
    public void RejectsMalformed(string text)
    {
        var ex = Assert.Throws<EngineException>(() => HostLimits.Parse(text));
        Assert.Equal("InvalidUlimit", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, ex.Kind);
    }

    [Theory]
    [InlineData("bogus=1")]
    [InlineData("=1")]
    [InlineData("nofile=10:5")]
    public void CheckRejectsUnknownOrInverted(string text)
    {
        var ex = Assert.Throws<EngineException>(() => HostLimits.Check(HostLimits.Parse(text)));
        Assert.Equal("InvalidUlimit", ex.ErrorId);
    }

    [Fact]
    public void CheckAcceptsUpToTheHostHardLimit()
    {
        Assert.Equal(0, Libc.getrlimit(RLIMIT_NOFILE, out var host));
        var hard = host.Max == ulong.MaxValue ? 1_048_576UL : host.Max;
        HostLimits.Check(new UlimitSetting { Name = "nofile", Soft = Math.Min(1024UL, hard), Hard = hard });
        HostLimits.Check(new UlimitSetting { Name = "NOFILE", Soft = 1, Hard = 1 });
    }

    [Fact]
    public void CheckRejectsAboveTheHostHardLimit()
    {
        Assert.Equal(0, Libc.getrlimit(RLIMIT_NOFILE, out var host));
        Assert.NotEqual(ulong.MaxValue, host.Max); // nofile always has a finite hard limit
        var ex = Assert.Throws<EngineException>(() => HostLimits.Check(new UlimitSetting { Name = "nofile", Soft = 1024, Hard = host.Max + 1 }));
        Assert.Equal("UlimitExceedsHost", ex.ErrorId);
        Assert.Contains(host.Max.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        var unlimited = Assert.Throws<EngineException>(() => HostLimits.Check(HostLimits.Parse("nofile=-1")));
        Assert.Equal("UlimitExceedsHost", unlimited.ErrorId);
    }
}
