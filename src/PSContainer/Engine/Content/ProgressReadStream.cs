namespace PSContainer.Engine.Content;

/// <summary>A read-only pass-through that reports the running byte count, at most every 256 KiB.</summary>
internal sealed class ProgressReadStream : Stream
{
    private const long ReportEvery = 256 * 1024;
    private readonly Stream _inner;
    private readonly Action<long> _report;
    private long _read;
    private long _lastReported;

    public ProgressReadStream(Stream inner, Action<long> report)
    {
        _inner = inner;
        _report = report;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        _read += n;
        if (_read - _lastReported >= ReportEvery || (n == 0 && _read != _lastReported))
        {
            _lastReported = _read;
            _report(_read);
        }
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
