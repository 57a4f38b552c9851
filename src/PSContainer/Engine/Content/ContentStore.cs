using System.Security.Cryptography;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Content;

/// <summary>
/// Content-addressed blobs under <c>blobs/sha256/&lt;hex&gt;</c>. A blob is written to a temporary file,
/// verified against its digest, fsynced and renamed into place, so a stored blob is always whole and right.
/// </summary>
internal sealed class ContentStore
{
    private readonly string _blobsDir;
    private readonly string _tempDir;

    /// <param name="blobsDir">Where the sha256 blobs live, one file per hex digest.</param>
    /// <param name="tempDir">Where partial blobs are written; on the same file system, so the final rename is atomic.</param>
    public ContentStore(string blobsDir, string tempDir)
    {
        _blobsDir = blobsDir;
        _tempDir = tempDir;
    }

    /// <summary>The path a blob has (whether or not it exists).</summary>
    public string PathOf(Digest digest) => Path.Combine(_blobsDir, digest.Hex);

    /// <summary>Whether the blob is stored.</summary>
    public bool Exists(Digest digest) => File.Exists(PathOf(digest));

    /// <summary>Reads a whole blob (manifests, configs).</summary>
    public byte[] ReadAllBytes(Digest digest)
    {
        try { return File.ReadAllBytes(PathOf(digest)); }
        catch (FileNotFoundException)
        {
            throw new EngineException("BlobNotFound", EngineErrorKind.NotFound, $"Blob {digest} is not in the store.", digest.ToString());
        }
    }

    /// <summary>Opens a blob for reading.</summary>
    public Stream OpenRead(Digest digest) =>
        new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    /// <summary>Stores bytes, checking them against <paramref name="expected"/> when given.</summary>
    public Digest Put(ReadOnlySpan<byte> content, Digest? expected = null)
    {
        var digest = Digest.Of(content);
        if (expected is { } want && want != digest)
            throw new EngineException("DigestMismatch", EngineErrorKind.InvalidData, $"Content digest {digest} does not match the expected {want}.", want.ToString());
        var path = PathOf(digest);
        if (!File.Exists(path))
            AtomicFile.WriteAllBytes(path, content);
        return digest;
    }

    /// <summary>Starts writing a blob whose digest is known only at the end.</summary>
    public BlobWriter BeginWrite() => new(this, Path.Combine(_tempDir, TempName.For("blob")));

    /// <summary>Removes a blob; absent blobs are ignored.</summary>
    public void Delete(Digest digest) => File.Delete(PathOf(digest));

    /// <summary>All stored blob digests.</summary>
    public IEnumerable<Digest> List()
    {
        foreach (var file in Directory.EnumerateFiles(_blobsDir))
            if (Digest.TryParse("sha256:" + Path.GetFileName(file), out var d))
                yield return d;
    }

    /// <summary>A stream that hashes what is written and stores it under its digest on <see cref="Commit"/>.</summary>
    internal sealed class BlobWriter : Stream
    {
        private readonly ContentStore _store;
        private readonly string _tempPath;
        private readonly FileStream _file;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private bool _committed;

        public BlobWriter(ContentStore store, string tempPath)
        {
            _store = store;
            _tempPath = tempPath;
            _file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }

        /// <summary>Bytes written so far.</summary>
        public long Written { get; private set; }

        /// <summary>Throws unless what was written so far has the expected digest and size.</summary>
        public Digest Verify(Digest? expected = null, long? expectedSize = null)
        {
            var digest = new Digest("sha256", Convert.ToHexStringLower(_hash.GetCurrentHash()));
            if (expectedSize is { } size && size != Written)
                throw new EngineException("SizeMismatch", EngineErrorKind.InvalidData, $"Blob has {Written} bytes; its descriptor says {size}.", expected?.ToString());
            if (expected is { } want && want != digest)
                throw new EngineException("DigestMismatch", EngineErrorKind.InvalidData, $"Blob digest {digest} does not match the expected {want}.", want.ToString());
            return digest;
        }

        /// <summary>Verifies digest and size, then moves the blob into place.</summary>
        public Digest Commit(Digest? expected = null, long? expectedSize = null)
        {
            var digest = Verify(expected, expectedSize);
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            File.Move(_tempPath, _store.PathOf(digest), overwrite: true);
            _committed = true;
            return digest;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _file.Write(buffer);
            Written += buffer.Length;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
                if (!_committed)
                {
                    _file.Dispose();
                    File.Delete(_tempPath);
                }
            }
            base.Dispose(disposing);
        }
    }
}
