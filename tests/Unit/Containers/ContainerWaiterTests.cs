using System.Text.RegularExpressions;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Containers;

public sealed class ContainerWaiterTests : IDisposable
{
    private readonly ScratchDir _dir = new("pscontainer-waiter-");

    public void Dispose() => _dir.Dispose();

    private static string Rec(string stream, string tag, string text, int second = 0) =>
        $"2024-05-01T12:00:{second:00}.000000000+00:00 {stream} {tag} {text}\n";

    private ContainerLogEntry? Match(string log, string pattern, List<string>? seen = null)
    {
        var path = _dir.Write("ctr.log", log);
        var entries = ContainerLog.Read(path, follow: false, () => false, CancellationToken.None);
        return ContainerWaiter.FirstMatch(entries, ReadyCondition.ForLog(pattern).Pattern!, e => seen?.Add(e.Text));
    }

    [Fact]
    public void FindsTheFirstMatchingLineAndLooksNoFurther()
    {
        var seen = new List<string>();
        var match = Match(Rec("stdout", "F", "starting") + Rec("stdout", "F", "ready on port 8080", 1) + Rec("stdout", "F", "ready again", 2), @"ready on port \d+", seen);
        Assert.Equal("ready on port 8080", match?.Text);
        Assert.Equal(["starting", "ready on port 8080"], seen);
    }

    [Fact]
    public void MatchesALineThatConmonSplitIntoPartialRecords()
    {
        var match = Match(Rec("stderr", "P", "database system is rea") + Rec("stderr", "F", "dy to accept connections"), "ready to accept connections$");
        Assert.Equal("database system is ready to accept connections", match?.Text);
        Assert.True(match!.IsError);
    }

    [Fact]
    public void MatchesEachLineOnItsOwn()
    {
        // A pattern spanning two lines never matches: each line is tested alone, as docker logs | grep would.
        Assert.Null(Match(Rec("stdout", "F", "ready") + Rec("stdout", "F", "now"), "ready\\s+now"));
    }

    [Fact]
    public void ReturnsNothingWhenNoLineMatches()
    {
        Assert.Null(Match(Rec("stdout", "F", "still starting"), "^ready"));
    }

    [Fact]
    public void RefusesAnInvalidPatternWithItsReason()
    {
        var ex = Assert.Throws<EngineException>(() => ReadyCondition.ForLog("(unclosed"));
        Assert.Equal("InvalidLogPattern", ex.ErrorId);
        Assert.Contains("'(unclosed' is not a valid regular expression", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void RefusesAPortOutOfRange(int port)
    {
        Assert.Equal("InvalidPort", Assert.Throws<EngineException>(() => ReadyCondition.ForPort(port)).ErrorId);
    }

    [Fact]
    public void DescribesEachConditionInWords()
    {
        Assert.Equal("it runs", ReadyCondition.Running.ToString());
        Assert.Equal("port 80 listens", ReadyCondition.ForPort(80).ToString());
        Assert.Equal("a log line matches 'ready'", ReadyCondition.ForLog("ready").ToString());
        Assert.Equal("'test -f /ready' succeeds", ReadyCondition.ForCommand(["test", "-f", "/ready"]).ToString());
        Assert.Equal("InvalidWaitCommand", Assert.Throws<EngineException>(() => ReadyCondition.ForCommand([])).ErrorId);
    }
}
