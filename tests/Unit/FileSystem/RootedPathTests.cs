using PSContainer.Engine;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Tests.FileSystem;

public sealed class RootedPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pscontainer-rooted-").FullName;

    public RootedPathTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        Directory.CreateDirectory(Path.Combine(_root, "usr/lib"));
        File.WriteAllText(Path.Combine(_root, "etc/hosts"), "");
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_root, "climb"), "../../../../usr");
        File.CreateSymbolicLink(Path.Combine(_root, "lib"), "usr/lib");
        File.CreateSymbolicLink(Path.Combine(_root, "usr/lib/up"), "../..");
        File.CreateSymbolicLink(Path.Combine(_root, "loop-a"), "loop-b");
        File.CreateSymbolicLink(Path.Combine(_root, "loop-b"), "/loop-a");
        File.CreateSymbolicLink(Path.Combine(_root, "self"), "self/x");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("etc/passwd", "etc/passwd")]
    [InlineData("/etc/./passwd", "etc/passwd")]
    [InlineData("../../../etc/passwd", "etc/passwd")]
    [InlineData("/", "")]
    [InlineData("..", "")]
    [InlineData("abs/passwd", "etc/passwd")]
    [InlineData("abs/../../..", "")]
    [InlineData("climb/lib", "usr/lib")]
    [InlineData("lib/up/etc", "etc")]
    [InlineData("missing/../etc", "etc")]
    [InlineData("abs", "etc")]
    [InlineData("etc/hosts/x", "etc/hosts/x")]
    public void ResolvesInsideTheRoot(string path, string expected) =>
        Assert.Equal(Full(expected), RootedPath.Resolve(_root, path, followFinalSymlink: true));

    [Fact]
    public void FinalSymlinkIsKeptWhenAsked()
    {
        Assert.Equal(Full("abs"), RootedPath.Resolve(_root, "abs", followFinalSymlink: false));
        Assert.Equal(Full("usr/lib/x"), RootedPath.Resolve(_root, "lib/x", followFinalSymlink: false));
    }

    [Theory]
    [InlineData("loop-a")]
    [InlineData("loop-b/x")]
    [InlineData("self")]
    public void SymlinkLoopsAreRefused(string path)
    {
        var error = Assert.Throws<EngineException>(() => RootedPath.Resolve(_root, path, followFinalSymlink: true));
        Assert.Equal("TooManySymlinks", error.ErrorId);
    }

    private string Full(string relative) => relative.Length == 0 ? _root : _root + "/" + relative;
}
