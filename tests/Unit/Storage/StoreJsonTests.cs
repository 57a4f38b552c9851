using PSContainer.Engine;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Storage;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Storage;

public sealed class StoreJsonTests : IDisposable
{
    private readonly ScratchDir _dir = new("pscontainer-storejson-");

    public void Dispose() => _dir.Dispose();

    private static LayerRecord Sample() => new()
    {
        ChainId = "sha256:" + new string('a', 64),
        DiffId = "sha256:" + new string('b', 64),
        Link = "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        Size = 1234,
    };

    [Fact]
    public void RoundTrips()
    {
        StoreJson.Write(_dir["layer.json"], Sample(), LayerJsonContext.Default.LayerRecord);
        var back = StoreJson.Read(_dir["layer.json"], LayerJsonContext.Default.LayerRecord);
        Assert.Equal((Sample().ChainId, Sample().DiffId, Sample().Link, 1234L), (back.ChainId, back.DiffId, back.Link, back.Size));
        Assert.Null(back.Parent);
        Assert.Equal(["layer.json"], _dir.Entries());
    }

    [Fact]
    public void WritesCompactJsonWithoutNulls()
    {
        StoreJson.Write(_dir["layer.json"], Sample(), LayerJsonContext.Default.LayerRecord);
        var text = File.ReadAllText(_dir["layer.json"]);
        Assert.DoesNotContain("\n", text);
        Assert.DoesNotContain("Parent", text);
        Assert.Contains("\"Size\":1234", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"Size\":\"big\"}")]
    public void UnreadableRecordIsCorruptStoreState(string content)
    {
        var path = _dir.Write("layer.json", content);
        var ex = Assert.Throws<EngineException>(() => StoreJson.Read(path, LayerJsonContext.Default.LayerRecord));
        Assert.Equal("CorruptStoreRecord", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidData, ex.Kind);
        Assert.Equal(path, ex.Target);
        Assert.Null(StoreJson.TryRead(path, LayerJsonContext.Default.LayerRecord));
    }

    [Fact]
    public void MissingRecordIsReportedAsCorruptStoreState()
    {
        // StoreJson.Read documents: "a missing or unreadable record is reported as corrupt store state".
        var ex = Record.Exception(() => StoreJson.Read(_dir["absent.json"], LayerJsonContext.Default.LayerRecord));
        var engine = Assert.IsType<EngineException>(ex);
        Assert.Equal("CorruptStoreRecord", engine.ErrorId);
    }

    [Fact]
    public void TryReadOfAMissingRecordIsNull()
    {
        Assert.Null(StoreJson.TryRead(_dir["absent.json"], LayerJsonContext.Default.LayerRecord));
        Assert.Null(StoreJson.TryRead(_dir["no/dir/absent.json"], LayerJsonContext.Default.LayerRecord));
    }

    [Fact]
    public void TryReadOfAGoodRecord()
    {
        StoreJson.Write(_dir["layer.json"], Sample(), LayerJsonContext.Default.LayerRecord);
        Assert.Equal(1234, StoreJson.TryRead(_dir["layer.json"], LayerJsonContext.Default.LayerRecord)!.Size);
    }
}
