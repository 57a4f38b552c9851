using System.Buffers.Binary;
using System.Buffers.Text;

namespace PSContainer.Engine.Layers;

/// <summary>
/// A read-through stream placed under a TarReader that follows the tar block structure and keeps the raw
/// PAX records of the entry the reader last returned, so binary extended attributes survive.
/// The reader reads exactly the blocks it needs and this stream never reads ahead, so after
/// GetNextEntry returns, <see cref="CurrentRecords"/> belongs to that entry.
/// </summary>
internal sealed class PaxHeaderTap : Stream
{
    private const int BlockSize = 512;

    // Larger PAX headers are left to the reader alone; real ones are a few hundred bytes.
    private const int MaxCaptured = 1 << 20;

    private static readonly Dictionary<string, byte[]> NoRecords = new(StringComparer.Ordinal);

    private readonly Stream _inner;
    private readonly byte[] _header = new byte[BlockSize];
    private int _headerFill;
    private long _blockBytesLeft;
    private MemoryStream? _capture;
    private long _captureLeft;
    private Dictionary<string, byte[]>? _pending;

    /// <summary>Observes <paramref name="inner"/>, which stays open when this stream is disposed.</summary>
    public PaxHeaderTap(Stream inner) => _inner = inner;

    /// <summary>The raw PAX records of the last entry header seen, empty when it had none.</summary>
    public IReadOnlyDictionary<string, byte[]> CurrentRecords { get; private set; } = NoRecords;

    /// <inheritdoc/>
    public override bool CanRead => true;
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override bool CanWrite => false;
    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Observe(buffer[..read]);
        return read;
    }

    /// <inheritdoc/>
    public override void Flush() { }
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Observe(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_blockBytesLeft > 0)
            {
                var take = (int)Math.Min(bytes.Length, _blockBytesLeft);
                Capture(bytes[..take]);
                _blockBytesLeft -= take;
                bytes = bytes[take..];
                continue;
            }
            var fill = Math.Min(bytes.Length, BlockSize - _headerFill);
            bytes[..fill].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += fill;
            bytes = bytes[fill..];
            if (_headerFill == BlockSize)
            {
                _headerFill = 0;
                OnHeader();
            }
        }
    }

    private void Capture(ReadOnlySpan<byte> data)
    {
        if (_capture is null)
            return;
        var take = (int)Math.Min(data.Length, _captureLeft);
        _capture.Write(data[..take]);
        _captureLeft -= take;
        if (_captureLeft == 0)
        {
            _pending = PaxRecords.Parse(_capture.GetBuffer().AsSpan(0, (int)_capture.Length));
            _capture = null;
        }
    }

    private void OnHeader()
    {
        if (_header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            return;
        var size = ParseSize(_header.AsSpan(124, 12));
        switch ((char)_header[156])
        {
            case 'x':
                _blockBytesLeft = Padded(size);
                _pending = null;
                if (size == 0)
                    _pending = NoRecords;
                else if (size <= MaxCaptured)
                {
                    _capture = new MemoryStream((int)size);
                    _captureLeft = size;
                }
                return;
            case 'g' or 'L' or 'K':
                _blockBytesLeft = Padded(size);
                return;
        }
        var records = _pending ?? NoRecords;
        _pending = null;
        CurrentRecords = records;
        if (records.TryGetValue("size", out var paxSize) && Utf8Parser.TryParse(paxSize, out long parsed, out var used) && used == paxSize.Length)
            size = parsed;
        // Like the reader, treat these types as header-only whatever their size field says.
        _blockBytesLeft = (char)_header[156] is '1' or '2' or '3' or '4' or '5' or '6' ? 0 : Padded(size);
    }

    private static long Padded(long size) => size <= 0 ? 0 : (size + BlockSize - 1) / BlockSize * BlockSize;

    private static long ParseSize(ReadOnlySpan<byte> field)
    {
        // GNU base-256 for sizes of 8 GiB and more: marker bit, then big-endian; the low 8 bytes suffice.
        if ((field[0] & 0x80) != 0)
            return BinaryPrimitives.ReadInt64BigEndian(field[^8..]);
        long result = 0;
        foreach (var b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7')
                result = result * 8 + (b - '0');
            else if (result != 0)
                break;
        }
        return result;
    }
}
