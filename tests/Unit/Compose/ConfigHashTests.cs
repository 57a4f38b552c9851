using PSContainer.Engine.Compose;

namespace PSContainer.Tests.Compose;

public sealed class ConfigHashTests
{
    private const string Base = "services:\n  a:\n    image: busybox\n    command: sleep 1\n    environment: [B=2, A=1]\n";

    private static string HashOf(string yaml) => ConfigHash.Of(ComposeFixture.FromText(yaml).Service("a")!);

    [Fact]
    public void StableAcrossLoadsAndSpellings()
    {
        var hash = HashOf(Base);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, HashOf(Base));
        Assert.Equal(hash, HashOf("services:\n  a:\n    environment: {A: \"1\", B: \"2\"}\n    command: [sleep, \"1\"]\n    image: busybox\n"));
    }

    [Fact]
    public void ChangesWithWhatShapesTheContainer()
    {
        var hash = HashOf(Base);
        Assert.NotEqual(hash, HashOf(Base.Replace("sleep 1", "sleep 2")));
        Assert.NotEqual(hash, HashOf(Base + "    ports: [\"80:80\"]\n"));
        Assert.NotEqual(hash, HashOf(Base.Replace("A=1", "A=3")));
    }

    [Fact]
    public void IgnoresWhatDoesNotShapeTheContainer()
    {
        var hash = HashOf(Base);
        Assert.Equal(hash, HashOf(Base + "    scale: 3\n"));
        Assert.Equal(hash, HashOf(Base + "    pull_policy: always\n"));
        Assert.Equal(hash, HashOf(Base.Replace("services:\n", "services:\n  b:\n    image: busybox\n") + "    depends_on: [b]\n"));
    }
}
