using System.Security.Cryptography;

namespace PSContainer.Engine.Content;

/// <summary>
/// A read-only pass-through that hashes every byte read (unless told not to) and optionally copies it to a
/// sink, so one pass over a layer can unpack it, verify it and store it.
/// </summary>
internal sealed class HashingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly Stream? _copy;
    private readonly IncrementalHash? _hash;
    private readonly long _limit;

    /// <summary>
    /// Wraps <paramref name="inner"/>; reading past <paramref name="limit"/> bytes fails (bomb guard). Without
    /// <paramref name="hash"/> it only copies and bounds, for a sink that hashes by itself.
    /// </summary>
    public HashingReadStream(Stream inner, Stream? copy = null, long limit = long.MaxValue, bool hash = true)
    {
        _inner = inner;
        _copy = copy;
        _limit = limit;
        _hash = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Reads what is left (tar padding after the end marker counts toward the digest) and returns the digest.</summary>
    public Digest Finish()
    {
        Drain();
        return Digest.From(_hash ?? throw new InvalidOperationException("This stream does not hash."));
    }

    /// <summary>Reads what is left, so the sink gets every byte.</summary>
    public void Drain()
    {
        var buffer = new byte[1 << 16];
        while (Read(buffer, 0, buffer.Length) > 0) { }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        if (n > 0)
        {
            BytesRead += n;
            if (BytesRead > _limit)
                throw new EngineException("ContentTooLarge", EngineErrorKind.InvalidData, $"Content exceeds the limit of {_limit} bytes.");
            _hash?.AppendData(buffer[..n]);
            _copy?.Write(buffer[..n]);
        }
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash?.Dispose();
        base.Dispose(disposing);
    }
}
