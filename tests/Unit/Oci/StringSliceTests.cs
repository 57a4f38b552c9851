using System.Text.Json;
using PSContainer.Engine.Oci;

namespace PSContainer.Tests.Oci;

/// <summary>Entrypoint and Cmd as Docker's strslice reads them.</summary>
public sealed class StringSliceTests
{
    private static OciRunConfig Read(string runConfig) =>
        JsonSerializer.Deserialize("""{"config":""" + runConfig + ""","rootfs":{"type":"layers","diff_ids":[]}}""", OciJsonContext.Default.OciImageConfig)!.Config!;

    [Fact]
    public void AStringIsAOneElementList()
    {
        var config = Read("""{"Entrypoint":"/docker-entrypoint.sh","Cmd":"nginx -g 'daemon off;'"}""");
        Assert.Equal(["/docker-entrypoint.sh"], config.Entrypoint);
        Assert.Equal(["nginx -g 'daemon off;'"], config.Cmd);
    }

    [Fact]
    public void ListsAndNullsAreReadAsBefore()
    {
        var config = Read("""{"Entrypoint":null,"Cmd":["sh","-c","echo hi"]}""");
        Assert.Null(config.Entrypoint);
        Assert.Equal(["sh", "-c", "echo hi"], config.Cmd);
        Assert.Equal([], Read("""{"Cmd":[]}""").Cmd);
    }

    [Theory]
    [InlineData("""{"Cmd":42}""")]
    [InlineData("""{"Cmd":["sh",1]}""")]
    [InlineData("""{"Cmd":{"a":"b"}}""")]
    public void AnythingElseIsRefused(string runConfig) => Assert.Throws<JsonException>(() => Read(runConfig));

    [Fact]
    public void ItIsWrittenAsAList()
    {
        var json = JsonSerializer.Serialize(new OciImageConfig { Config = new OciRunConfig { Cmd = ["sh"] } }, OciJsonContext.Default.OciImageConfig);
        Assert.Contains("\"Cmd\":[\"sh\"]", json);
        Assert.DoesNotContain("Entrypoint", json);
    }
}
