using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace PSContainer.Engine.Layers;

/// <summary>
/// A read-through stream placed under a TarReader that follows the tar block structure. It keeps the raw PAX
/// records of the entry the reader last returned, so binary extended attributes survive, and it judges each header
/// as Go's archive/tar does where System.Formats.Tar differs: a header whose checksum is wrong is refused, while ids
/// up to 2^32−1 (PAX or base-256) and times beyond .NET's range are accepted. Such values are kept here and shown
/// to the reader as zeros of the same width, so the bytes it parses stay well-formed; the hash below this stream
/// sees the original bytes. The reader reads exactly the blocks it needs and this stream never reads past a
/// header or a PAX extended header, so after GetNextEntry returns, <see cref="Current"/> belongs to that entry.
/// </summary>
internal sealed class PaxHeaderTap : Stream
{
    private const int BlockSize = 512;

    // Larger PAX headers are left to the reader alone; real ones are a few hundred bytes.
    private const int MaxCaptured = 1 << 20;

    private static readonly Dictionary<string, byte[]> NoRecords = new(StringComparer.Ordinal);
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();

    private readonly Stream _inner;
    private byte[] _ready = [];
    private int _readyOffset;
    private long _dataLeft;
    private bool _ended;
    private Dictionary<string, byte[]>? _pendingRecords;
    private RawEntryHeader? _pendingPax;
    private char? _pendingKind;

    /// <summary>Observes <paramref name="inner"/>, which stays open when this stream is disposed.</summary>
    public PaxHeaderTap(Stream inner) => _inner = inner;

    /// <summary>What the last entry header seen said beyond what the reader can hold.</summary>
    public RawEntryHeader Current { get; private set; } = RawEntryHeader.Empty;

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
        if (buffer.IsEmpty)
            return 0;
        if (_readyOffset < _ready.Length)
            return Serve(buffer);
        if (_ended)
            return _inner.Read(buffer);
        if (_dataLeft > 0)
        {
            var read = _inner.Read(buffer[..(int)Math.Min(buffer.Length, _dataLeft)]);
            _dataLeft -= read;
            return read;
        }
        if (!ReadHeader())
            return 0;
        return Serve(buffer);
    }

    /// <inheritdoc/>
    public override void Flush() { }
    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Serve(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _ready.Length - _readyOffset);
        _ready.AsSpan(_readyOffset, n).CopyTo(buffer);
        _readyOffset += n;
        return n;
    }

    // Reads the next header block (and a PAX header's records) into _ready; false at the end of the stream.
    private bool ReadHeader()
    {
        var header = new byte[BlockSize];
        var length = _inner.ReadAtLeast(header, BlockSize, throwOnEndOfStream: false);
        if (length == 0)
            return false;
        // The very array, not a copy: the checks below may still rewrite fields in it.
        _ready = length == BlockSize ? header : header[..length];
        _readyOffset = 0;
        if (length < BlockSize)
            return true; // Truncated: the reader reports it.
        if (header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            // The end of the archive: what follows is padding, read (and hashed) but never parsed.
            _ended = true;
            return true;
        }
        CheckChecksum(header);
        var size = ParseSize(header.AsSpan(124, 12));
        var type = (char)header[156];
        if (type is 'x' or 'g' or 'L' or 'K')
        {
            // The reader attaches PAX and GNU long-name headers differently from Go's archive/tar when one entry has
            // both, or a global header falls between them and their entry (a test compares it with another reader):
            // writers never do either, so it is refused rather than read one way or the other.
            var kind = type is 'L' or 'K' ? 'L' : type;
            if (_pendingKind is { } pending && (kind == 'g' || pending != kind))
                throw new InvalidDataException($"a tar entry has both {Describe(pending)} and {Describe(kind)} headers");
            if (kind != 'g')
                _pendingKind = kind;
            if (type == 'x')
                ReadPaxRecords(header, size);
            else
                _dataLeft = Padded(size);
            return true;
        }
        _pendingKind = null;
        var records = _pendingRecords ?? NoRecords;
        var pax = _pendingPax ?? RawEntryHeader.Empty;
        _pendingRecords = null;
        _pendingPax = null;
        // Base-256 fields of the header itself; PAX records, where given, override them as the reader does.
        var uid = pax.Uid ?? TakeLargeId(header.AsSpan(108, 8));
        var gid = pax.Gid ?? TakeLargeId(header.AsSpan(116, 8));
        var mtime = pax.ModificationTime ?? TakeLargeTime(header.AsSpan(136, 12));
        Current = new RawEntryHeader(records, uid, gid, mtime);
        if (records.TryGetValue("size", out var paxSize) && Utf8Parser.TryParse(paxSize, out long parsed, out var used) && used == paxSize.Length)
            size = parsed;
        // Like the reader, treat these types as header-only whatever their size field says.
        _dataLeft = (char)header[156] is '1' or '2' or '3' or '4' or '5' or '6' ? 0 : Padded(size);
        return true;
    }

    private void ReadPaxRecords(byte[] header, long size)
    {
        _pendingRecords = null;
        _pendingPax = null;
        if (size <= 0 || size > MaxCaptured)
        {
            _pendingRecords = size == 0 ? NoRecords : null;
            _dataLeft = Padded(size);
            return;
        }
        var padded = (int)Padded(size);
        var block = new byte[BlockSize + padded];
        header.CopyTo(block, 0);
        var length = BlockSize + _inner.ReadAtLeast(block.AsSpan(BlockSize), padded, throwOnEndOfStream: false);
        _ready = length == block.Length ? block : block[..length];
        if (length < block.Length)
            return; // Truncated: the reader reports it.
        var data = block.AsSpan(BlockSize, (int)size);
        _pendingRecords = PaxRecords.Parse(data);
        long? uid = null, gid = null;
        DateTimeOffset? mtime = null;
        foreach (var (key, start, valueLength) in PaxRecords.Values(data))
        {
            var value = data.Slice(start, valueLength);
            // The reader splits records at newlines rather than by their lengths, so a binary xattr value holding one
            // would break its parse: it is shown a placeholder, and the raw value is what the file gets.
            if (value.Contains((byte)'\n'))
            {
                if (!key.StartsWith(PaxRecords.XattrPrefix, StringComparison.Ordinal))
                    throw new InvalidDataException($"the PAX record '{key}' holds a newline");
                value.Replace((byte)'\n', (byte)'?');
            }
            switch (key)
            {
                case "uid" or "gid" when ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is > int.MaxValue and <= uint.MaxValue:
                    value.Fill((byte)'0');
                    if (key == "uid") uid = (long)id; else gid = (long)id;
                    break;
                case "mtime" or "atime" or "ctime" when OutOfRangeTime(value) is { } clamped:
                    foreach (ref var b in value)
                        if (b is >= (byte)'0' and <= (byte)'9') b = (byte)'0';
                    if (key == "mtime") mtime = clamped;
                    break;
            }
        }
        _pendingPax = new RawEntryHeader(NoRecords, uid, gid, mtime);
    }

    private static string Describe(char kind) => kind switch { 'x' => "PAX extended", 'g' => "PAX global", _ => "GNU long-name" };

    // A PAX time the reader cannot hold, clamped to the nearest it can; null for one it can (or for no number at all).
    private static DateTimeOffset? OutOfRangeTime(ReadOnlySpan<byte> value)
    {
        var text = Encoding.ASCII.GetString(value);
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        var dot = digits.IndexOf('.');
        var whole = dot < 0 ? digits : digits[..dot];
        if (whole.Length == 0 || !whole.All(char.IsAsciiDigit) || (dot >= 0 && !digits[(dot + 1)..].All(char.IsAsciiDigit)))
            return null;
        if (long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxUnixSeconds && -seconds >= MinUnixSeconds)
            return null;
        return negative ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue;
    }

    // A base-256 id above what the reader's Int32 holds: kept, and the field turned into octal zero.
    private static long? TakeLargeId(Span<byte> field)
    {
        if (field[0] != 0x80 || field[1..4].IndexOfAnyExcept((byte)0) >= 0)
            return null;
        var id = BinaryPrimitives.ReadUInt32BigEndian(field[4..]);
        if (id <= int.MaxValue)
            return null;
        WriteOctalZero(field);
        return id;
    }

    // A base-256 time beyond DateTimeOffset's range: clamped, and the field turned into octal zero.
    private static DateTimeOffset? TakeLargeTime(Span<byte> field)
    {
        if (field[0] is not (0x80 or 0xFF))
            return null;
        var negative = field[0] == 0xFF;
        var high = field[1..4];
        var value = BinaryPrimitives.ReadInt64BigEndian(field[4..]);
        var fits = negative
            ? high.IndexOfAnyExcept((byte)0xFF) < 0 && value < 0 && value >= MinUnixSeconds
            : high.IndexOfAnyExcept((byte)0) < 0 && value >= 0 && value <= MaxUnixSeconds;
        if (fits)
            return null;
        WriteOctalZero(field);
        return negative ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue;
    }

    private static void WriteOctalZero(Span<byte> field)
    {
        field[..^1].Fill((byte)'0');
        field[^1] = 0;
    }

    // The checksum is the sum of the header's bytes with its own field read as spaces; like Go, either the unsigned
    // or the signed sum (old tars) is accepted.
    private static void CheckChecksum(byte[] header)
    {
        var field = header.AsSpan(148, 8);
        var stored = ParseOctal(field);
        long unsigned = 0, signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        if (stored != unsigned && stored != signed)
            throw new InvalidDataException($"a tar header has the checksum {stored}, but its bytes sum to {unsigned}");
    }

    private static long ParseOctal(ReadOnlySpan<byte> field)
    {
        var text = Encoding.ASCII.GetString(field).Trim(' ', '\0');
        if (text.Length == 0 || !text.All(c => c is >= '0' and <= '7'))
            throw new InvalidDataException($"a tar header has the invalid checksum field '{text}'");
        return Convert.ToInt64(text, 8);
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
