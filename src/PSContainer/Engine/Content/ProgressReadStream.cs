namespace PSContainer.Engine.Content;

/// <summary>
/// A read-only pass-through that reports how far it has been read after every read. It seeks when the inner
/// stream does, so an upload that must be sent again (a registry asking to authenticate mid-upload) can rewind it.
/// </summary>
internal sealed class ProgressReadStream : Stream
{
    private readonly Stream _inner;
    private readonly Action<long> _report;
    private long _position;

    /// <summary>Wraps <paramref name="inner"/>, which this stream disposes; <paramref name="report"/> gets the bytes read so far.</summary>
    public ProgressReadStream(Stream inner, Action<long> report)
    {
        _inner = inner;
        _report = report;
        _position = inner.CanSeek ? inner.Position : 0;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer) => Advance(_inner.Read(buffer));

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Advance(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => _inner.CanSeek;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => _inner.Length;

    /// <inheritdoc/>
    public override long Position { get => _position; set => _position = _inner.Position = value; }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => _position = _inner.Seek(offset, origin);

    /// <inheritdoc/>
    public override void Flush() { }

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Advance(int read)
    {
        _position += read;
        _report(_position);
        return read;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
