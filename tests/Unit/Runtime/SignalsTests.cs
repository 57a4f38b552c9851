using PSContainer.Engine;
using PSContainer.Engine.Runtime;

namespace PSContainer.Tests.Runtime;

public sealed class SignalsTests
{
    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("TERM", 15)]
    [InlineData("sigterm", 15)]
    [InlineData("term", 15)]
    [InlineData("SIGKILL", 9)]
    [InlineData("HUP", 1)]
    [InlineData("SIGINT", 2)]
    [InlineData("SIGUSR1", 10)]
    [InlineData("SIGUSR2", 12)]
    [InlineData("SIGCHLD", 17)]
    [InlineData("SIGWINCH", 28)]
    [InlineData("SIGSYS", 31)]
    [InlineData("9", 9)]
    [InlineData("1", 1)]
    [InlineData("64", 64)]
    public void Parses(string text, int number) => Assert.Equal(number, Signals.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-9")]
    [InlineData("+9")]
    [InlineData(" 9")]
    [InlineData("SIG")]
    [InlineData("SIGFOO")]
    [InlineData("KILLALL")]
    [InlineData("SIGSIGTERM")]
    public void RejectsUnknownSignals(string text)
    {
        var ex = Assert.Throws<EngineException>(() => Signals.Parse(text));
        Assert.Equal("InvalidSignal", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Constants()
    {
        Assert.Equal(Signals.SIGKILL, Signals.Parse("KILL"));
        Assert.Equal(Signals.SIGTERM, Signals.Parse("TERM"));
    }
}
