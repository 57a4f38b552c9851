using PSContainer.Engine.Build;

namespace PSContainer.Tests.Build;

public class DockerignoreMatcherTests
{
    private static DockerignoreMatcher M(params string[] lines) => new(lines);

    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("**/*.md", "docs/README.md", true)]
    [InlineData("**/*.md", "README.md", true)]
    [InlineData("docs/**", "docs/a/b.txt", true)]
    [InlineData("docs/**", "doc", false)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/x/y/c", false)]
    [InlineData("node_modules", "node_modules/x/y.js", true)]
    [InlineData("/build", "build/out", true)]
    [InlineData("./build/", "build", true)]
    [InlineData("temp?", "temp1", true)]
    [InlineData("temp?", "temp12", false)]
    [InlineData("f[0-9]", "f5", true)]
    [InlineData("f[!0-9]", "f5", false)]
    [InlineData("*/temp*", "a/temporary", true)]
    [InlineData("*/temp*", "a/b/temporary", false)]
    [InlineData("a/../b", "b", true)]
    [InlineData("\\*x", "*x", true)]
    [InlineData("# comment", "# comment", false)]
    public void SinglePattern(string pattern, string path, bool ignored) =>
        Assert.Equal(ignored, M(pattern).IsIgnored(path));

    [Fact]
    public void LastMatchingPatternWins()
    {
        var m = M("*.md", "!README.md", "README*");
        Assert.True(m.IsIgnored("CHANGES.md"));
        Assert.True(m.IsIgnored("README.md"));
        var m2 = M("*.md", "README*", "!README.md");
        Assert.False(m2.IsIgnored("README.md"));
        Assert.True(m2.HasExclusions);
    }

    [Fact]
    public void ReInclusionInsideAnExcludedDirectory()
    {
        var m = M("logs", "!logs/keep.txt");
        Assert.True(m.IsIgnored("logs/a.txt"));
        Assert.False(m.IsIgnored("logs/keep.txt"));
        Assert.True(m.IsIgnored("logs"));
    }

    [Fact]
    public void BlankLinesAndSurroundingSpaces_AreIgnored()
    {
        var m = M("", "   ", "  *.tmp  ", "! keep.tmp");
        Assert.True(m.IsIgnored("x.tmp"));
        Assert.False(m.IsIgnored("keep.tmp"));
        Assert.False(DockerignoreMatcher.None.IsIgnored("anything"));
    }

    [Fact]
    public void ParentDirectoryMatch_ExcludesChildren()
    {
        Assert.True(M("a/b").IsIgnored("a/b/c/d"));
        Assert.False(M("a/b").IsIgnored("a/bc"));
    }
}
