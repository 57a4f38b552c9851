using System.Buffers.Binary;
using System.Text;
using PSContainer.Engine.Layers;

namespace PSContainer.Tests.Layers;

/// <summary>
/// Writes tar archives header field by header field, for what TarWriter will not write: ids above 2^31 in PAX or
/// base-256, times beyond .NET's range, GNU long-name and long-link entries, and wrong checksums.
/// </summary>
internal sealed class RawTar
{
    private const int Block = 512;
    private readonly MemoryStream _output = new();

    /// <summary>One header and its content. <paramref name="patch"/> may change the header before its checksum is set.</summary>
    public RawTar Entry(string name, char type, byte[]? content = null, string link = "", long uid = 0, long gid = 0, long mtime = 1_600_000_000,
        int mode = 0x1A4, bool gnu = false, Action<byte[]>? patch = null)
    {
        var header = new byte[Block];
        Text(header, 0, 100, name);
        Octal(header, 100, 8, mode);
        Number(header.AsSpan(108, 8), uid);
        Number(header.AsSpan(116, 8), gid);
        Octal(header, 124, 12, content?.Length ?? 0);
        Number(header.AsSpan(136, 12), mtime);
        header[156] = (byte)type;
        Text(header, 157, 100, link);
        Text(header, 257, 8, gnu ? "ustar  \0" : "ustar\u000000");
        patch?.Invoke(header);
        SetChecksum(header);
        _output.Write(header);
        if (content is not null)
        {
            _output.Write(content);
            _output.Write(new byte[(Block - content.Length % Block) % Block]);
        }
        return this;
    }

    /// <summary>A PAX extended header ('x') for the entry that follows.</summary>
    public RawTar Pax(params (string Key, byte[] Value)[] records)
    {
        var data = new MemoryStream();
        foreach (var (key, value) in records)
            PaxRecords.Append(data, key, value);
        return Entry("PaxHeaders/entry", 'x', data.ToArray());
    }

    /// <summary>A PAX record of text.</summary>
    public static (string, byte[]) Record(string key, string value) => (key, Encoding.UTF8.GetBytes(value));

    /// <summary>A GNU long name ('L') or long link ('K') for the entry that follows.</summary>
    public RawTar GnuLong(char type, string value) => Entry("././@LongLink", type, Encoding.UTF8.GetBytes(value + "\0"), gnu: true);

    public byte[] Build()
    {
        var copy = new MemoryStream();
        _output.Position = 0;
        _output.CopyTo(copy);
        copy.Write(new byte[Block * 2]);
        return copy.ToArray();
    }

    /// <summary>Sets the header checksum: the sum of its bytes with the checksum field read as spaces.</summary>
    public static void SetChecksum(byte[] header)
    {
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
    }

    // Octal when it fits the field, else GNU base-256 (a marker bit, then big-endian).
    private static void Number(Span<byte> field, long value)
    {
        if (value >= 0 && value < 1L << (3 * (field.Length - 1)))
        {
            Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(field.Length - 1, '0') + "\0").CopyTo(field);
            return;
        }
        field.Fill(value < 0 ? (byte)0xFF : (byte)0);
        BinaryPrimitives.WriteInt64BigEndian(field[^8..], value);
        field[0] = value < 0 ? (byte)0xFF : (byte)0x80;
    }

    private static void Octal(byte[] header, int offset, int length, long value) => Number(header.AsSpan(offset, length), value);

    private static void Text(byte[] header, int offset, int length, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > length)
            throw new ArgumentException($"'{value}' does not fit {length} bytes; use a PAX path or a GNU long name.");
        bytes.CopyTo(header, offset);
    }
}
