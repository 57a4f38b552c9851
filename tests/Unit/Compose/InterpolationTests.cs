using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Tests.Compose;

public sealed class InterpolationTests
{
    private static readonly Dictionary<string, string?> Variables = new() { ["SET"] = "value", ["EMPTY"] = "" };

    private static string Apply(string text) => Interpolator.Apply(text, n => Variables.GetValueOrDefault(n), "test");

    [Theory]
    [InlineData("$SET", "value")]
    [InlineData("${SET}", "value")]
    [InlineData("pre-${SET}-post", "pre-value-post")]
    [InlineData("${UNSET}", "")]
    [InlineData("${UNSET:-d}", "d")]
    [InlineData("${EMPTY:-d}", "d")]
    [InlineData("${EMPTY-d}", "")]
    [InlineData("${UNSET-d}", "d")]
    [InlineData("${SET:+alt}", "alt")]
    [InlineData("${EMPTY:+alt}", "")]
    [InlineData("${EMPTY+alt}", "alt")]
    [InlineData("${UNSET:-${SET}}", "value")]
    [InlineData("${UNSET:-a ${UNSET2:-b}}", "a b")]
    [InlineData("$$SET", "$SET")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("no dollar", "no dollar")]
    public void Substitutes(string text, string expected) => Assert.Equal(expected, Apply(text));

    [Theory]
    [InlineData("${UNSET:?needed}", "required variable UNSET is missing a value: needed")]
    [InlineData("${EMPTY:?}", "required variable EMPTY is missing a value.")]
    [InlineData("${UNSET?gone}", "required variable UNSET is missing a value: gone")]
    public void RequiredVariables(string text, string message)
    {
        var ex = Assert.Throws<EngineException>(() => Apply(text));
        Assert.Equal("ComposeInterpolationFailed", ex.ErrorId);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void SetEmptyPassesTheNonColonCheck() => Assert.Equal("", Apply("${EMPTY?x}"));

    [Theory]
    [InlineData("${}")]
    [InlineData("${SET")]
    [InlineData("price $5")]
    [InlineData("trailing $")]
    [InlineData("${SET:x}")]
    public void InvalidTemplates(string text) =>
        Assert.Equal("ComposeInterpolationFailed", Assert.Throws<EngineException>(() => Apply(text)).ErrorId);

    [Fact]
    public void FixtureWithDotEnvAndShellEnvironment()
    {
        var project = ComposeFixture.Load("interpolation", new() { ["FROM_SHELL"] = "shell", ["GREETING"] = "hi from shell", ["PORT"] = "9999" });
        var app = project.Service("app")!;
        Assert.Equal("docker.io/library/busybox:1.36", app.Image);
        Assert.Equal(["echo", "$HOME", "hi", "from", "shell"], app.Command);
        var environment = app.Environment!;
        Assert.Equal("from \"dotenv\"", environment["FROM_DOTENV"]);
        Assert.Equal("shell", environment["FROM_SHELL"]);
        Assert.Equal("fallback", environment["EMPTY_DEFAULT"]);
        Assert.Equal("", environment["UNSET_DEFAULT"]);
        Assert.Equal("hi from shell-nested", environment["NESTED"]);
        Assert.Equal("set", environment["ALTERNATE"]);
        Assert.Equal(9999, Assert.Single(app.Ports!).Published);
    }

    [Fact]
    public void EnvFileOptionReplacesDotEnv()
    {
        var dir = ComposeFixture.Dir("interpolation");
        var other = Path.Combine(Path.GetTempPath(), "psc-envfile-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(other, "TAG=2.0\nDOTENV_ONLY=other\n");
        try
        {
            var project = ComposeLoader.Load(new ComposeLoadOptions { Paths = [dir], EnvFiles = [other], CurrentDirectory = dir });
            Assert.Equal("docker.io/library/busybox:2.0", project.Service("app")!.Image);
            Assert.Equal("other", project.Service("app")!.Environment!["FROM_DOTENV"]);
            Assert.Null(project.Service("app")!.Environment!["FROM_SHELL"]);
        }
        finally
        {
            File.Delete(other);
        }
    }

    [Fact]
    public void DotEnvSyntax()
    {
        var values = DotEnvFile.Parse("""
            # comment
            A=1
            export B = two
            C="line\nbreak ${A}"
            D='single ${A}'
            E=unquoted # comment
            F=x#not-a-comment
            G="multi
            line"
            """, "test.env", _ => null);
        Assert.Equal("1", values["A"]);
        Assert.Equal("two", values["B"]);
        Assert.Equal("line\nbreak 1", values["C"]);
        Assert.Equal("single ${A}", values["D"]);
        Assert.Equal("unquoted", values["E"]);
        Assert.Equal("x#not-a-comment", values["F"]);
        Assert.Equal("multi\nline", values["G"]);
    }

    [Theory]
    [InlineData("echo hi", new[] { "echo", "hi" })]
    [InlineData("sh -c 'echo a b'", new[] { "sh", "-c", "echo a b" })]
    [InlineData("sh -c \"echo \\\"q\\\"\"", new[] { "sh", "-c", "echo \"q\"" })]
    [InlineData("a\\ b  c", new[] { "a b", "c" })]
    public void ShellWordsSplitLikeAShell(string text, string[] expected) => Assert.Equal(expected, ShellWords.Split(text, "test"));
}
