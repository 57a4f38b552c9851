using System.Management.Automation;

namespace PSContainer.Commands;

/// <summary>A read-only file stream that reports how far it has been read through Write-Progress.</summary>
internal sealed class ProgressStream : Stream
{
    private readonly FileStream _inner;
    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _progress;
    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private long _lastReport = -1;

    public ProgressStream(FileStream inner, Cmdlet cmdlet, string activity)
    {
        _inner = inner;
        _cmdlet = cmdlet;
        _progress = new ProgressRecord(Math.Abs(activity.GetHashCode() % 100000), activity, "Reading");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        var length = _inner.Length;
        var percent = length == 0 ? 100 : (int)(_inner.Position * 100 / length);
        // Write-Progress only works from the pipeline thread, and every percent is enough.
        if (percent != _lastReport && Environment.CurrentManagedThreadId == _threadId)
        {
            _lastReport = percent;
            _progress.PercentComplete = percent;
            _progress.StatusDescription = $"{_inner.Position / 1048576} of {length / 1048576} MB";
            _cmdlet.WriteProgress(_progress);
        }
        return n;
    }

    /// <summary>Closes the progress bar.</summary>
    public void Complete()
    {
        _progress.RecordType = ProgressRecordType.Completed;
        _cmdlet.WriteProgress(_progress);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
