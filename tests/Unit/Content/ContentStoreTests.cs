using System.Text;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Storage;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Content;

public sealed class ContentStoreTests : IDisposable
{
    private readonly ScratchDir _dir = new("pscontainer-content-");
    private readonly StoreLayout _layout;
    private readonly ContentStore _store;

    public ContentStoreTests()
    {
        _layout = new StoreLayout(_dir["root"], _dir["run"]);
        _layout.EnsureCreated();
        _store = new ContentStore(_layout.BlobsDir, _layout.TempDir);
    }

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello\n");
    private static readonly Digest HelloDigest = Digest.Parse("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");

    private string[] Blobs() => Directory.GetFileSystemEntries(_layout.BlobsDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
    private string[] Temps() => Directory.GetFileSystemEntries(_layout.TempDir);

    [Fact]
    public void PutStoresUnderTheDigest()
    {
        Assert.Equal(HelloDigest, _store.Put(Hello));
        Assert.True(_store.Exists(HelloDigest));
        Assert.Equal(Path.Combine(_layout.BlobsDir, HelloDigest.Hex), _store.PathOf(HelloDigest));
        Assert.Equal(Hello, _store.ReadAllBytes(HelloDigest));
        Assert.Equal([HelloDigest.Hex], Blobs());
    }

    [Fact]
    public void PutVerifiesTheExpectedDigest()
    {
        Assert.Equal(HelloDigest, _store.Put(Hello, HelloDigest));
        var wrong = Digest.Of("other"u8);
        var ex = Assert.Throws<EngineException>(() => _store.Put("tampered"u8, wrong));
        Assert.Equal("DigestMismatch", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidData, ex.Kind);
        Assert.False(_store.Exists(wrong));
        Assert.Equal([HelloDigest.Hex], Blobs());
    }

    [Fact]
    public void PutIsIdempotent()
    {
        _store.Put(Hello);
        _store.Put(Hello);
        Assert.Equal([HelloDigest.Hex], Blobs());
    }

    [Fact]
    public void ReadingAMissingBlob()
    {
        var ex = Assert.Throws<EngineException>(() => _store.ReadAllBytes(HelloDigest));
        Assert.Equal("BlobNotFound", ex.ErrorId);
        Assert.Equal(EngineErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public void OpenReadStreamsTheBlob()
    {
        _store.Put(Hello);
        using var stream = _store.OpenRead(HelloDigest);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(Hello, copy.ToArray());
    }

    [Fact]
    public void ListAndDelete()
    {
        var a = _store.Put("a"u8);
        var b = _store.Put("b"u8);
        File.WriteAllText(Path.Combine(_layout.BlobsDir, "stray.tmp-1-1"), "x");
        Assert.Equal(new[] { a, b }.OrderBy(d => d.Hex), _store.List().OrderBy(d => d.Hex));
        _store.Delete(a);
        _store.Delete(a);
        Assert.Equal([b], _store.List());
    }

    [Fact]
    public void WriterCommitsUnderTheDigestOfWhatWasWritten()
    {
        Digest digest;
        using (var writer = _store.BeginWrite())
        {
            writer.Write("hel"u8);
            writer.Write(Encoding.ASCII.GetBytes("xlo\n"), 1, 3);
            Assert.Equal(6, writer.Written);
            Assert.Single(Temps());
            digest = writer.Commit(HelloDigest, 6);
        }
        Assert.Equal(HelloDigest, digest);
        Assert.Equal(Hello, _store.ReadAllBytes(HelloDigest));
        Assert.Empty(Temps());
    }

    [Fact]
    public void WriterCommitWithoutExpectations()
    {
        using var writer = _store.BeginWrite();
        new MemoryStream(Hello).CopyTo(writer);
        Assert.Equal(HelloDigest, writer.Commit());
        Assert.Empty(Temps());
    }

    [Fact]
    public void WriterDigestMismatchThrowsAndLeavesNothing()
    {
        var wrong = Digest.Of("something else"u8);
        using (var writer = _store.BeginWrite())
        {
            writer.Write(Hello);
            var ex = Assert.Throws<EngineException>(() => writer.Commit(wrong, Hello.Length));
            Assert.Equal("DigestMismatch", ex.ErrorId);
            Assert.Equal(EngineErrorKind.InvalidData, ex.Kind);
        }
        Assert.Empty(Temps());
        Assert.Empty(Blobs());
    }

    [Fact]
    public void WriterSizeMismatchThrowsAndLeavesNothing()
    {
        using (var writer = _store.BeginWrite())
        {
            writer.Write(Hello);
            var ex = Assert.Throws<EngineException>(() => writer.Commit(HelloDigest, Hello.Length + 1));
            Assert.Equal("SizeMismatch", ex.ErrorId);
        }
        Assert.Empty(Temps());
        Assert.Empty(Blobs());
    }

    [Fact]
    public void AbandonedWriterLeavesNothing()
    {
        using (var writer = _store.BeginWrite()) writer.Write(Hello);
        Assert.Empty(Temps());
        Assert.Empty(Blobs());
    }

    [Fact]
    public void WriterIsWriteOnly()
    {
        using var writer = _store.BeginWrite();
        Assert.True(writer.CanWrite);
        Assert.False(writer.CanRead);
        Assert.False(writer.CanSeek);
        Assert.Throws<NotSupportedException>(() => writer.Read(new byte[1], 0, 1));
        Assert.Throws<NotSupportedException>(() => writer.Seek(0, SeekOrigin.Begin));
    }

    [Fact]
    public void WriterOverAnExistingBlobKeepsItWhole()
    {
        _store.Put(Hello);
        using (var writer = _store.BeginWrite())
        {
            writer.Write(Hello);
            writer.Commit(HelloDigest);
        }
        Assert.Equal(Hello, _store.ReadAllBytes(HelloDigest));
        Assert.Empty(Temps());
    }
}
