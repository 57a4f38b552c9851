using PSContainer.Engine;
using PSContainer.Engine.Build;

namespace PSContainer.Tests.Build;

public class DockerfileParserTests
{
    private static Dockerfile Parse(string text) => DockerfileParser.Parse(text, "Dockerfile");

    private static DockerfileInstruction Only(string text) => Parse("FROM scratch\n" + text).Stages[0].Instructions.Single();

    [Fact]
    public void Keywords_AreCaseInsensitive()
    {
        var file = Parse("from busybox as Build\nrun echo hi\nCoPy a b\n");
        Assert.Equal("build", file.Stages[0].Name);
        Assert.Equal(["RUN", "COPY"], file.Stages[0].Instructions.Select(i => i.Keyword));
    }

    [Fact]
    public void Continuations_JoinLines_SkippingCommentsAndBlanks()
    {
        var run = Only("RUN echo a \\\n# a comment\n\n    b \\\n  c");
        Assert.Equal("echo a     b   c", run.Arguments);
        Assert.Equal(2, run.Line);
    }

    [Fact]
    public void EscapeDirective_ChangesTheContinuationCharacter()
    {
        var file = Parse("# escape=`\nFROM scratch\nRUN dir c:\\ `\n  more\n");
        Assert.Equal('`', file.EscapeCharacter);
        Assert.Equal("dir c:\\   more", file.Stages[0].Instructions[0].Arguments);
    }

    [Fact]
    public void SyntaxDirective_IsIgnored_AndDirectivesStopAtTheFirstOtherLine()
    {
        var file = Parse("# syntax=docker/dockerfile:1\n# escape=`\n\n# escape=\\\nFROM scratch\n");
        Assert.Equal('`', file.EscapeCharacter);
    }

    [Fact]
    public void DuplicateDirective_IsAnError()
    {
        var ex = Assert.Throws<EngineException>(() => Parse("# escape=`\n# escape=`\nFROM scratch\n"));
        Assert.Equal("DockerfileParseError", ex.ErrorId);
    }

    [Fact]
    public void Comments_AreSkipped_EvenIndented()
    {
        var file = Parse("# top\nFROM scratch\n   # indented comment\nENV A=1\n");
        Assert.Single(file.Stages[0].Instructions);
    }

    [Fact]
    public void JsonForm_IsExecForm_InvalidJsonIsShellForm()
    {
        Assert.Equal(["/bin/sh", "-c", "echo hi"], Only("RUN [\"/bin/sh\", \"-c\", \"echo hi\"]").ExecForm);
        Assert.Null(Only("RUN [not json").ExecForm);
        Assert.Null(Only("CMD [\"a\", 1]").ExecForm);
        Assert.Null(Only("ENV A=[\"x\"]").ExecForm);
    }

    [Fact]
    public void Flags_AreSplitFromArguments()
    {
        var copy = Only("COPY --from=build --chown=app:app --link src/ /dst/");
        Assert.Equal("build", copy.Flag("from"));
        Assert.Equal("app:app", copy.Flag("chown"));
        Assert.Equal("true", copy.Flag("link"));
        Assert.Equal("src/ /dst/", copy.Arguments);
        var run = Only("RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok echo");
        Assert.Equal(2, run.FlagValues("mount").Count());
    }

    [Fact]
    public void ArgBeforeFrom_IsGlobal()
    {
        var file = Parse("ARG VERSION=1\nFROM busybox:${VERSION}\nARG VERSION\n");
        Assert.Single(file.GlobalArgs);
        Assert.Single(file.Stages[0].Instructions);
    }

    [Fact]
    public void OtherInstructionBeforeFrom_IsAnErrorNamingTheLine()
    {
        var ex = Assert.Throws<EngineException>(() => DockerfileParser.Parse("\n\nRUN x\nFROM scratch", "app/Dockerfile"));
        Assert.StartsWith("app/Dockerfile:3:", ex.Message);
    }

    [Fact]
    public void UnknownInstruction_IsAnErrorNamingFileAndLine()
    {
        var ex = Assert.Throws<EngineException>(() => Parse("FROM scratch\n\nFOO bar\n"));
        Assert.Equal("DockerfileParseError", ex.ErrorId);
        Assert.Contains("Dockerfile:3: unknown instruction: FOO", ex.Message);
    }

    [Theory]
    [InlineData("FROM")]
    [InlineData("FROM a b")]
    [InlineData("FROM a AS")]
    [InlineData("FROM a AS b c")]
    [InlineData("FROM a AS 1x")]
    [InlineData("FROM a AS x\nFROM b AS X")]
    [InlineData("FROM --foo=1 a")]
    [InlineData("ENV A=1")]
    [InlineData("FROM a\nRUN")]
    public void MalformedFiles_AreRejected(string text)
    {
        var ex = Assert.Throws<EngineException>(() => Parse(text));
        Assert.Equal("DockerfileParseError", ex.ErrorId);
    }

    [Fact]
    public void Stages_AreNumberedAndNamed()
    {
        var file = Parse("FROM busybox AS build\nRUN a\nFROM scratch\nCOPY --from=build /a /a\n");
        Assert.Equal(2, file.Stages.Count);
        Assert.Equal("build", file.Stages[0].Name);
        Assert.Null(file.Stages[1].Name);
        Assert.Equal(1, file.Stages[1].Index);
        Assert.Equal("scratch", file.Stages[1].BaseName);
    }

    [Fact]
    public void Heredoc_InRun_TakesTheFollowingLines()
    {
        var file = Parse("FROM scratch\nRUN <<EOF\necho one\necho two\nEOF\nENV A=1\n");
        var run = file.Stages[0].Instructions[0];
        Assert.Equal("<<EOF", run.Arguments);
        var doc = Assert.Single(run.Heredocs);
        Assert.Equal("echo one\necho two\n", doc.Content);
        Assert.True(doc.Expand);
        Assert.Equal("ENV", file.Stages[0].Instructions[1].Keyword);
    }

    [Fact]
    public void Heredoc_QuotedDelimiter_IsNotExpanded_DashStripsTabs()
    {
        var run = Only("COPY <<-'END' /etc/motd\n\thello $USER\n\tEND\n");
        var doc = Assert.Single(run.Heredocs);
        Assert.Equal("hello $USER\n", doc.Content);
        Assert.False(doc.Expand);
    }

    [Fact]
    public void SeveralHeredocs_AreReadInOrder()
    {
        var copy = Only("COPY <<A <<B /dir/\na\nA\nb\nB\n");
        Assert.Equal(["A", "B"], copy.Heredocs.Select(h => h.Name));
        Assert.Equal("b\n", copy.Heredocs[1].Content);
    }

    [Fact]
    public void UnterminatedHeredoc_IsAnError()
    {
        Assert.Throws<EngineException>(() => Parse("FROM scratch\nRUN <<EOF\necho\n"));
    }

    [Fact]
    public void EscapedEscapeAtEndOfLine_DoesNotContinue()
    {
        var file = Parse("FROM scratch\nRUN echo \\\\\nENV A=1\n");
        Assert.Equal(2, file.Stages[0].Instructions.Count);
    }

    [Fact]
    public void OnbuildTrigger_ParsesAsAnInstruction_ButNotFromOrOnbuild()
    {
        var trigger = DockerfileParser.ParseTrigger("COPY --chown=1:1 . /app", "Dockerfile", 4, '\\');
        Assert.Equal("COPY", trigger.Keyword);
        Assert.Equal("1:1", trigger.Flag("chown"));
        Assert.Throws<EngineException>(() => DockerfileParser.ParseTrigger("ONBUILD RUN x", "Dockerfile", 4, '\\'));
        Assert.Throws<EngineException>(() => DockerfileParser.ParseTrigger("FROM x", "Dockerfile", 4, '\\'));
    }

    [Fact]
    public void Healthcheck_ExecFormIsThatOfItsCommand()
    {
        var check = Only("HEALTHCHECK --interval=5s CMD [\"wget\", \"-q\", \"localhost\"]");
        Assert.Equal("5s", check.Flag("interval"));
        Assert.Equal(["wget", "-q", "localhost"], check.ExecForm);
    }

    [Fact]
    public void CrLfAndBom_AreAccepted()
    {
        var file = Parse("\uFEFFFROM scratch\r\nENV A=1\r\n");
        Assert.Equal("A=1", file.Stages[0].Instructions[0].Arguments);
    }
}
