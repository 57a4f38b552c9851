using PSContainer.Engine;
using PSContainer.Engine.Build;

namespace PSContainer.Tests.Build;

public class ShellWordExpanderTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["NAME"] = "world", ["EMPTY"] = "", ["PATHV"] = "/usr/local/bin/app.tar.gz", ["SPACED"] = "a b",
    };

    private static ShellWordExpander Expander(char escape = '\\') => new(n => Env.GetValueOrDefault(n), escape);

    [Theory]
    [InlineData("$NAME", "world")]
    [InlineData("${NAME}", "world")]
    [InlineData("hello-${NAME}!", "hello-world!")]
    [InlineData("$NAME$NAME", "worldworld")]
    [InlineData("$UNSET", "")]
    [InlineData("${UNSET:-dflt}", "dflt")]
    [InlineData("${EMPTY:-dflt}", "dflt")]
    [InlineData("${EMPTY-dflt}", "")]
    [InlineData("${UNSET-dflt}", "dflt")]
    [InlineData("${NAME:-dflt}", "world")]
    [InlineData("${NAME:+set}", "set")]
    [InlineData("${EMPTY:+set}", "")]
    [InlineData("${EMPTY+set}", "set")]
    [InlineData("${UNSET:+set}", "")]
    [InlineData("${UNSET:-${NAME}}", "world")]
    [InlineData("${UNSET:-a b}", "a b")]
    [InlineData("\\$NAME", "$NAME")]
    [InlineData("'$NAME'", "$NAME")]
    [InlineData("\"$NAME\"", "world")]
    [InlineData("\"a \\\"q\\\" \\$x \\n\"", "a \"q\" $x \\n")]
    [InlineData("a\\ b", "a b")]
    [InlineData("$", "$")]
    [InlineData("$1", "")]
    [InlineData("cost: 5$", "cost: 5$")]
    [InlineData("${PATHV#*/}", "usr/local/bin/app.tar.gz")]
    [InlineData("${PATHV##*/}", "app.tar.gz")]
    [InlineData("${PATHV%.*}", "/usr/local/bin/app.tar")]
    [InlineData("${PATHV%%.*}", "/usr/local/bin/app")]
    public void ProcessWord_FollowsDockerRules(string input, string expected) =>
        Assert.Equal(expected, Expander().ProcessWord(input));

    [Fact]
    public void ProcessWords_SplitsAtUnquotedBlanks_AfterExpansionKeepsValues()
    {
        Assert.Equal(["a", "b c", "world", "", "a b"], Expander().ProcessWords("a \"b c\" $NAME \"\" \"$SPACED\""));
    }

    [Fact]
    public void BacktickEscape_WorksLikeBackslash()
    {
        Assert.Equal("$NAME", Expander('`').ProcessWord("`$NAME"));
        Assert.Equal("c:\\dir", Expander('`').ProcessWord("c:\\dir"));
    }

    [Fact]
    public void RequiredVariable_FailsWithItsMessage()
    {
        var ex = Assert.Throws<EngineException>(() => Expander().ProcessWord("${UNSET:?must be given}"));
        Assert.Contains("must be given", ex.Message);
        Assert.Equal("world", Expander().ProcessWord("${NAME:?x}"));
    }

    [Theory]
    [InlineData("${NAME")]
    [InlineData("\"open")]
    [InlineData("'open")]
    [InlineData("${NAME/a/b}")]
    [InlineData("${}")]
    public void BadSubstitutions_AreErrors(string input) =>
        Assert.Throws<EngineException>(() => Expander().ProcessWord(input));

    [Fact]
    public void Referenced_ListsTheVariablesUsed()
    {
        Assert.Equal(new HashSet<string> { "A", "B", "C" }, ShellWordExpander.Referenced("$A ${B:-$C} '$D' \\$E"));
    }
}
