namespace PSContainer.Engine.Archives;

/// <summary>A write-only pass-through that tells a callback the running byte count after every write.</summary>
internal sealed class CountingWriteStream : Stream
{
    private readonly Stream _inner;
    private readonly Action<long> _written;

    /// <summary>Writes to <paramref name="inner"/>, which it does not dispose.</summary>
    public CountingWriteStream(Stream inner, Action<long> written)
    {
        _inner = inner;
        _written = written;
    }

    /// <summary>Bytes written so far.</summary>
    public long Written { get; private set; }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        Written += buffer.Length;
        _written(Written);
    }

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();
    /// <inheritdoc/>
    public override bool CanRead => false;
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override bool CanWrite => true;
    /// <inheritdoc/>
    public override long Length => Written;
    /// <inheritdoc/>
    public override long Position { get => Written; set => throw new NotSupportedException(); }
    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
}
