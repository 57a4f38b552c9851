using PSContainer.Engine.Registry;

namespace PSContainer.Tests.Registry;

public class AuthChallengeTests
{
    [Fact]
    public void ParsesDockerHubBearerChallenge()
    {
        var c = Assert.Single(AuthChallenge.Parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:samalba/my-app:pull,push\""));
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.docker.io/token", c.Realm);
        Assert.Equal("registry.docker.io", c.Service);
        Assert.Equal("repository:samalba/my-app:pull,push", c.Scope);
    }

    [Fact]
    public void ParsesBasicChallenge()
    {
        var c = Assert.Single(AuthChallenge.Parse("Basic realm=\"Registry Realm\""));
        Assert.True(c.IsBasic);
        Assert.Equal("Registry Realm", c.Realm);
    }

    [Fact]
    public void SplitsSeveralChallengesInOneHeader()
    {
        var all = AuthChallenge.Parse("Bearer realm=\"https://a/token\", service=\"svc\", error=\"insufficient_scope\", Basic realm=\"b\"");
        Assert.Equal(2, all.Count);
        Assert.Equal("insufficient_scope", all[0].Parameters["error"]);
        Assert.Equal("svc", all[0].Service);
        Assert.True(all[1].IsBasic);
        Assert.Equal("b", all[1].Realm);
    }

    [Fact]
    public void ReadsEscapesAndUnquotedValues()
    {
        var c = Assert.Single(AuthChallenge.Parse("bearer Realm=https://h/token?x=1,service=\"a\\\"b\""));
        Assert.True(c.IsBearer);
        Assert.Equal("https://h/token?x=1", c.Realm);
        Assert.Equal("a\"b", c.Service);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("=")]
    public void EmptyOrGarbageYieldsNothing(string header) => Assert.Empty(AuthChallenge.Parse(header));

    [Fact]
    public void SchemeWithoutParameters()
    {
        var c = Assert.Single(AuthChallenge.Parse("Negotiate"));
        Assert.Equal("Negotiate", c.Scheme);
        Assert.Empty(c.Parameters);
    }
}
