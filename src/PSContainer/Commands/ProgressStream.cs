namespace PSContainer.Commands;

/// <summary>A read-only file stream that reports how far it has been read through a <see cref="ProgressReporter"/>.</summary>
internal sealed class ProgressStream : Stream
{
    private readonly FileStream _inner;
    private readonly ProgressReporter _progress;

    /// <summary>Reads <paramref name="inner"/>, which it owns, reporting to <paramref name="progress"/>.</summary>
    public ProgressStream(FileStream inner, ProgressReporter progress)
    {
        _inner = inner;
        _progress = progress;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        _progress.Report(_inner.Position, _inner.Length);
        return n;
    }

    /// <inheritdoc/>
    /// <remarks>Seeking lets a tar reader skip members it does not need without reading them.</remarks>
    public override long Seek(long offset, SeekOrigin origin)
    {
        var position = _inner.Seek(offset, origin);
        _progress.Report(position, _inner.Length);
        return position;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;
    /// <inheritdoc/>
    public override bool CanSeek => _inner.CanSeek;
    /// <inheritdoc/>
    public override bool CanWrite => false;
    /// <inheritdoc/>
    public override long Length => _inner.Length;
    /// <inheritdoc/>
    public override long Position { get => _inner.Position; set => Seek(value, SeekOrigin.Begin); }
    /// <inheritdoc/>
    public override void Flush() { }
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
