using PSContainer.Engine;
using PSContainer.Engine.Images;
using PSContainer.Engine.Oci;

namespace PSContainer.Tests.Images;

public sealed class ImageChangesTests
{
    private static OciRunConfig Apply(params string[] changes)
    {
        var config = new OciRunConfig();
        ImageChanges.Apply(config, changes);
        return config;
    }

    [Fact]
    public void CmdExecForm() =>
        Assert.Equal(["nginx", "-g", "daemon off;"], Apply("CMD [\"nginx\", \"-g\", \"daemon off;\"]").Cmd);

    [Fact]
    public void CmdShellForm() =>
        Assert.Equal(["/bin/sh", "-c", "echo hello && sleep 1"], Apply("CMD echo hello && sleep 1").Cmd);

    [Fact]
    public void EntrypointExecAndShellForm()
    {
        Assert.Equal(["/entry.sh", "--flag"], Apply("ENTRYPOINT [\"/entry.sh\",\"--flag\"]").Entrypoint);
        Assert.Equal(["/bin/sh", "-c", "exec /entry.sh"], Apply("ENTRYPOINT exec /entry.sh").Entrypoint);
    }

    [Fact]
    public void InstructionsAreCaseInsensitiveAndTrimmed()
    {
        var config = Apply("  cmd   [\"a\"]  ", "workdir\t/app", "Entrypoint [\"b\"]");
        Assert.Equal(["a"], config.Cmd);
        Assert.Equal(["b"], config.Entrypoint);
        Assert.Equal("/app", config.WorkingDir);
    }

    [Fact]
    public void LaterChangesWin()
    {
        var config = Apply("CMD [\"a\"]", "CMD [\"b\"]", "USER x", "USER y");
        Assert.Equal(["b"], config.Cmd);
        Assert.Equal("y", config.User);
    }

    [Fact]
    public void EnvKeyValuePairs() =>
        Assert.Equal(["A=1", "B=two"], Apply("ENV A=1 B=two").Env);

    [Fact]
    public void EnvQuotedValues() =>
        Assert.Equal(["GREETING=hello world", "EMPTY=", "X=a=b"], Apply("ENV GREETING=\"hello world\" EMPTY=\"\" X=a=b").Env);

    [Fact]
    public void EnvLegacyForm() =>
        Assert.Equal(["PATH=/usr/local/bin:/usr/bin"], Apply("ENV PATH /usr/local/bin:/usr/bin").Env);

    [Fact]
    public void EnvLegacyFormKeepsSpacesInTheValue() =>
        Assert.Equal(["MSG=hello big world"], Apply("ENV MSG hello big world").Env);

    [Fact]
    public void EnvLegacyFormWithAnEqualsSignInTheValue() =>
        // Docker: when the first word has no '=', the rest of the line is the value.
        Assert.Equal(["JAVA_OPTS=-Dfile.encoding=UTF-8"], Apply("ENV JAVA_OPTS -Dfile.encoding=UTF-8").Env);

    [Fact]
    public void EnvSingleQuotedValue() =>
        Assert.Equal(["MSG=hello world"], Apply("ENV MSG='hello world'").Env);

    [Fact]
    public void EnvReplacesAnExistingKeyAndKeepsOthers()
    {
        var config = new OciRunConfig { Env = ["PATH=/bin", "KEEP=1"] };
        ImageChanges.Apply(config, ["ENV PATH=/usr/bin:/bin"]);
        Assert.Equal(["KEEP=1", "PATH=/usr/bin:/bin"], config.Env);
    }

    [Fact]
    public void LabelPairs()
    {
        var labels = Apply("LABEL version=1.0 \"description\"=\"a web app\"", "LABEL version=2.0").Labels!;
        Assert.Equal("2.0", labels["version"]);
        Assert.Equal("a web app", labels["description"]);
        Assert.Equal(2, labels.Count);
    }

    [Fact]
    public void ExposeAddsTcpByDefault()
    {
        var ports = Apply("EXPOSE 80 443/tcp 53/udp", "EXPOSE 8080").ExposedPorts!;
        Assert.Equal(["443/tcp", "53/udp", "80/tcp", "8080/tcp"], ports.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void VolumeJsonAndPlainForms()
    {
        Assert.Equal(["/data", "/logs"], Apply("VOLUME [\"/data\", \"/logs\"]").Volumes!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["/a", "/b"], Apply("VOLUME /a /b").Volumes!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WorkdirUserStopsignal()
    {
        var config = Apply("WORKDIR /srv/app", "USER app:staff", "STOPSIGNAL SIGQUIT");
        Assert.Equal("/srv/app", config.WorkingDir);
        Assert.Equal("app:staff", config.User);
        Assert.Equal("SIGQUIT", config.StopSignal);
    }

    [Fact]
    public void UntouchedFieldsStayNull()
    {
        var config = Apply("WORKDIR /x");
        Assert.Null(config.Cmd);
        Assert.Null(config.Env);
        Assert.Null(config.Labels);
        Assert.Null(config.ExposedPorts);
        Assert.Null(config.Volumes);
    }

    [Theory]
    [InlineData("RUN echo hi")]
    [InlineData("FROM alpine")]
    [InlineData("COPY a b")]
    [InlineData("CMD")]
    [InlineData("ENV")]
    [InlineData("WORKDIR   ")]
    [InlineData("")]
    [InlineData("CMD [\"unterminated\"")]
    [InlineData("CMD [\"a\", 1]")]
    [InlineData("ENTRYPOINT [not json]")]
    [InlineData("ENV A=1 B")]
    [InlineData("ENV =value")]
    [InlineData("ENV ONLYKEY")]
    [InlineData("LABEL =x")]
    public void InvalidChanges(string change)
    {
        var ex = Assert.Throws<EngineException>(() => Apply(change));
        Assert.Equal("InvalidImageChange", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(change, ex.Target);
    }

    [Fact]
    public void AFailingChangeLeavesEarlierOnesApplied()
    {
        var config = new OciRunConfig();
        Assert.Throws<EngineException>(() => ImageChanges.Apply(config, ["WORKDIR /a", "BOGUS x"]));
        Assert.Equal("/a", config.WorkingDir);
    }
}
