using PSContainer.Engine;
using PSContainer.Engine.Build;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Build;

public sealed class BuildContextTests : IDisposable
{
    private readonly ScratchDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private BuildContext Context(params string[] ignore) => new(_dir.Root, new DockerignoreMatcher(ignore));

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("..")]
    public void SourcesOutsideTheContext_AreRefused(string source)
    {
        var ex = Assert.Throws<EngineException>(() => BuildContext.Relative(source));
        Assert.Equal("BuildContextEscape", ex.ErrorId);
    }

    [Theory]
    [InlineData("./a/b/", "a/b")]
    [InlineData("/a", "a")]
    [InlineData(".", "")]
    [InlineData("a/../b", "b")]
    public void Sources_AreCleaned(string source, string expected) => Assert.Equal(expected, BuildContext.Relative(source));

    [Fact]
    public void Globs_MatchWithinOneComponent_AndSkipIgnoredFiles()
    {
        _dir.Write("a.txt", "a");
        _dir.Write("b.txt", "b");
        _dir.Write("c.log", "c");
        _dir.Write("sub/d.txt", "d");
        var context = Context("b.txt");
        Assert.Equal(["a.txt"], context.Match("*.txt"));
        Assert.Equal(["sub/d.txt"], context.Match("sub/*.txt"));
        var ex = Assert.Throws<EngineException>(() => context.Match("b.txt"));
        Assert.Equal("BuildSourceNotFound", ex.ErrorId);
        Assert.Throws<EngineException>(() => context.Match("*.md"));
    }

    [Fact]
    public void Followed_ResolvesASymlinkSourceInsideTheContext_AndLeavesADanglingOne()
    {
        _dir.Write("a.txt", "a");
        _dir.Write("dir/b.txt", "b");
        File.CreateSymbolicLink(_dir["link"], "a.txt");
        File.CreateSymbolicLink(_dir["linkdir"], "dir");
        File.CreateSymbolicLink(_dir["dir/up"], "../a.txt");
        File.CreateSymbolicLink(_dir["escape"], "/etc/passwd");
        File.CreateSymbolicLink(_dir["dangling"], "missing");
        var context = Context();
        Assert.Equal("a.txt", context.Followed("link"));
        Assert.Equal("dir", context.Followed("linkdir"));
        Assert.Equal("a.txt", context.Followed("dir/up"));
        Assert.Equal("dir/b.txt", context.Followed("dir/b.txt"));
        // An absolute target resolves inside the context, never on the host.
        Assert.Equal("escape", context.Followed("escape"));
        Assert.Equal("dangling", context.Followed("dangling"));
    }

    [Fact]
    public void Digest_FollowsContentModeAndNames_NotTimes()
    {
        var file = _dir.Write("src/a.txt", "a");
        _dir.Write("src/skip.tmp", "x");
        var context = Context("**/*.tmp");
        var first = context.Digest(["src"]);
        File.SetLastWriteTimeUtc(file, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(first, context.Digest(["src"]));
        File.WriteAllText(_dir["src/skip.tmp"], "ignored files do not count");
        Assert.Equal(first, context.Digest(["src"]));
        File.SetUnixFileMode(file, (UnixFileMode)0x1ED);
        var afterChmod = context.Digest(["src"]);
        Assert.NotEqual(first, afterChmod);
        File.WriteAllText(file, "b");
        Assert.NotEqual(afterChmod, context.Digest(["src"]));
        File.Move(file, _dir["src/renamed.txt"]);
        Assert.NotEqual(afterChmod, context.Digest(["src"]));
    }

    [Fact]
    public void SymlinksInTheContext_NeverLeadOutOfIt()
    {
        Directory.CreateDirectory(_dir["inside"]);
        File.CreateSymbolicLink(_dir["escape"], "/etc");
        var context = Context();
        Assert.Equal(_dir.Root + "/etc/passwd", context.HostPath("escape/passwd"));
        Assert.Equal(_dir.Root + "/escape", context.HostPath("escape"));
    }

    [Fact]
    public void ReIncludedFiles_InsideAnIgnoredDirectory_AreCopied()
    {
        _dir.Write("logs/a.log", "a");
        _dir.Write("logs/keep.log", "k");
        var context = Context("logs", "!logs/keep.log");
        Assert.Equal(["logs"], context.Match("logs"));
        Assert.Equal(["logs/keep.log"], context.Entries("logs"));
    }
}
