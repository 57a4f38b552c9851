using PSContainer.Engine;
using PSContainer.Engine.Build;

namespace PSContainer.Tests.Build;

public class KeyValueParserTests
{
    [Fact]
    public void NewForm_KeepsQuotesForTheExpansion()
    {
        var pairs = KeyValueParser.Pairs("A=1 B=\"two words\" C='x y' D=a\\ b", "ENV", '\\');
        Assert.Equal([("A", "1"), ("B", "\"two words\""), ("C", "'x y'"), ("D", "a\\ b")], pairs);
        var expander = new ShellWordExpander(_ => null);
        Assert.Equal(["1", "two words", "x y", "a b"], pairs.Select(p => expander.ProcessWord(p.Value)));
    }

    [Fact]
    public void OldForm_TakesTheRestOfTheLine()
    {
        Assert.Equal([("GREETING", "hello  big world")], KeyValueParser.Pairs("GREETING hello  big world", "ENV", '\\'));
    }

    [Theory]
    [InlineData("A=1 B")]
    [InlineData("=1")]
    [InlineData("ONLYKEY")]
    public void Malformed_IsRejected(string text) =>
        Assert.Throws<EngineException>(() => KeyValueParser.Pairs(text, "ENV", '\\'));

    [Fact]
    public void Args_WithAndWithoutDefaults()
    {
        Assert.Equal([("A", null), ("B", "2"), ("C", "\"x y\"")], KeyValueParser.Args("A B=2 C=\"x y\"", '\\'));
    }

    [Fact]
    public void EmptyQuotedValue_IsAWord()
    {
        Assert.Equal(["A=\"\"", "B="], KeyValueParser.Words("A=\"\" B=", '\\'));
    }
}
