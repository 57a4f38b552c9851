using System.Net;

namespace PSContainer.Engine.Registry;

/// <summary>
/// A blob download that survives dropped connections: when the body breaks off it asks again from the byte
/// it got to (Range: bytes=N-), a few times. It does not verify the digest; the content store does that.
/// </summary>
internal sealed class BlobStream : Stream
{
    private const int MaxResumes = 3;

    private readonly Func<long, CancellationToken, Task<HttpResponseMessage>> _open;
    private HttpResponseMessage _response;
    private Stream _body;
    private long _position;
    private int _resumesLeft = MaxResumes;

    private BlobStream(Func<long, CancellationToken, Task<HttpResponseMessage>> open, HttpResponseMessage response, Stream body, long position)
    {
        _open = open;
        _response = response;
        _body = body;
        _position = position;
        TotalLength = TotalLengthOf(response);
    }

    /// <summary>The size of the whole blob, when the registry said.</summary>
    public long? TotalLength { get; }

    /// <summary>
    /// Opens the blob at <paramref name="offset"/>. <paramref name="open"/> sends the GET for an offset and
    /// returns a successful response (206 for the range, or 200 if the server ignores ranges).
    /// </summary>
    public static async Task<BlobStream> OpenAsync(Func<long, CancellationToken, Task<HttpResponseMessage>> open, long offset, CancellationToken cancellationToken)
    {
        var (response, body) = await ConnectAsync(open, offset, cancellationToken).ConfigureAwait(false);
        return new BlobStream(open, response, body, offset);
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            int read;
            try
            {
                read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && _resumesLeft > 0 && !cancellationToken.IsCancellationRequested)
            {
                await ResumeAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (read == 0 && buffer.Length > 0 && TotalLength is { } total && _position < total)
            {
                if (_resumesLeft == 0)
                    throw new IOException($"The blob download ended at byte {_position} of {total}.");
                await ResumeAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            _position += read;
            return read;
        }
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        _resumesLeft--;
        _response.Dispose();
        (_response, _body) = await ConnectAsync(_open, _position, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(HttpResponseMessage, Stream)> ConnectAsync(Func<long, CancellationToken, Task<HttpResponseMessage>> open, long offset, CancellationToken cancellationToken)
    {
        var response = await open(offset, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var start = response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange?.From ?? 0 : 0;
            if (start > offset)
                throw new IOException($"The registry resumed the blob at byte {start}, not {offset}.");
            await SkipAsync(body, offset - start, cancellationToken).ConfigureAwait(false);
            return (response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // A server that ignores Range sends the whole blob again; the part we have is read and dropped.
    private static async Task SkipAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        var scratch = new byte[81920];
        while (count > 0)
        {
            var read = await body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new IOException("The blob ended before the resume offset.");
            count -= read;
        }
    }

    private static long? TotalLengthOf(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.PartialContent
            ? response.Content.Headers.ContentRange?.Length
            : response.Content.Headers.ContentLength;

    /// <inheritdoc/>
    public override bool CanRead => true;
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override bool CanWrite => false;
    /// <inheritdoc/>
    public override long Length => TotalLength ?? throw new NotSupportedException();
    /// <inheritdoc/>
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    /// <inheritdoc/>
    public override void Flush() { }
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _response.Dispose();
        base.Dispose(disposing);
    }
}
