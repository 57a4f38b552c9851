using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Tests.Containers;

public sealed class DetachKeysTests
{
    [Fact]
    public void DefaultSequenceIsCtrlPCtrlQ() => Assert.Equal(new byte[] { 0x10, 0x11 }, DetachKeys.Parse(DetachKeys.Default));

    [Theory]
    [InlineData("ctrl-a", new byte[] { 1 })]
    [InlineData("ctrl-@,ctrl-_", new byte[] { 0, 31 })]
    [InlineData("CTRL-X, q", new byte[] { 24, (byte)'q' })]
    public void ParsesDockerNotation(string spec, byte[] expected) => Assert.Equal(expected, DetachKeys.Parse(spec));

    [Theory]
    [InlineData("")]
    [InlineData("ctrl-1")]
    [InlineData("ab")]
    [InlineData("ctrl-p,,ctrl-q")]
    public void RejectsWhatIsNotAKey(string spec) =>
        Assert.Equal("InvalidDetachKeys", Assert.Throws<EngineException>(() => DetachKeys.Parse(spec)).ErrorId);

    [Fact]
    public void PassesOrdinaryInputThrough()
    {
        var (forward, detach) = new DetachKeys().Feed("ls -l\r"u8);
        Assert.Equal("ls -l\r"u8.ToArray(), forward);
        Assert.False(detach);
    }

    [Fact]
    public void DetachesOnTheWholeSequenceAndDropsIt()
    {
        var (forward, detach) = new DetachKeys().Feed([(byte)'a', 0x10, 0x11, (byte)'b']);
        Assert.Equal(new[] { (byte)'a' }, forward);
        Assert.True(detach);
    }

    [Fact]
    public void HoldsAPrefixAcrossReads()
    {
        var keys = new DetachKeys();
        var first = keys.Feed([(byte)'x', 0x10]);
        Assert.Equal(new[] { (byte)'x' }, first.Forward);
        Assert.False(first.Detach);
        var second = keys.Feed([0x11]);
        Assert.Empty(second.Forward);
        Assert.True(second.Detach);
    }

    [Fact]
    public void ReleasesABrokenPrefix()
    {
        var keys = new DetachKeys();
        Assert.Empty(keys.Feed([0x10]).Forward);
        var (forward, detach) = keys.Feed([(byte)'z']);
        Assert.Equal(new byte[] { 0x10, (byte)'z' }, forward);
        Assert.False(detach);
    }

    [Fact]
    public void ARepeatedFirstKeyStillStartsTheSequence()
    {
        var (forward, detach) = new DetachKeys().Feed([0x10, 0x10, 0x11]);
        Assert.Equal(new byte[] { 0x10 }, forward);
        Assert.True(detach);
    }
}
