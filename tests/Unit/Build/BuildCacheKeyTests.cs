using PSContainer.Engine.Build;

namespace PSContainer.Tests.Build;

public class BuildCacheKeyTests
{
    private static readonly KeyValuePair<string, string>[] Args = [new("A", "1"), new("B", "2")];

    private static string Key(string parent = "sha256:p", string instruction = "RUN make", KeyValuePair<string, string>[]? args = null,
        string? sources = null, string platform = "linux/amd64") =>
        BuildCacheKey.For(parent, instruction, args ?? Args, sources, platform);

    [Fact]
    public void SameStep_SameKey_WhateverTheArgOrder()
    {
        Assert.Equal(Key(), Key(args: [new("B", "2"), new("A", "1")]));
        Assert.StartsWith("sha256:", Key());
    }

    [Fact]
    public void EveryInput_ChangesTheKey()
    {
        var keys = new[]
        {
            Key(), Key(parent: "sha256:q"), Key(instruction: "RUN make all"), Key(args: [new("A", "1")]),
            Key(args: [new("A", "1"), new("B", "3")]), Key(sources: "digest1"), Key(sources: "digest2"), Key(platform: "linux/arm64"),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void FieldBoundaries_CannotBeConfused()
    {
        Assert.NotEqual(Key(args: [new("A", "1 arg B=2")]), Key(args: [new("A", "1"), new("B", "2")]));
        Assert.NotEqual(Key(instruction: "RUN a", sources: null), Key(instruction: "RUN a\nsources x", sources: null));
    }
}
