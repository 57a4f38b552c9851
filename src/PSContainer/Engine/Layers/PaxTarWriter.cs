using System.Text;

namespace PSContainer.Engine.Layers;

/// <summary>
/// Writes PAX tar streams. System.Formats.Tar's writer encodes PAX values as UTF-8 strings and so cannot
/// write binary xattrs such as security.capability; this writer keeps them byte for byte.
/// Everything that fits goes in the ustar header and only the rest in a PAX header, as Go's archive/tar does.
/// </summary>
internal sealed class PaxTarWriter
{
    private const int BlockSize = 512;
    private const string PaxHeaderName = "././@PaxHeader";

    private readonly Stream _output;

    /// <summary>Writes to <paramref name="output"/>, which it does not dispose.</summary>
    public PaxTarWriter(Stream output) => _output = output;

    /// <summary>Writes one entry; <paramref name="content"/> must yield exactly <see cref="LayerTarHeader.Size"/> bytes.</summary>
    public void Write(LayerTarHeader header, Stream? content)
    {
        var records = new MemoryStream();
        var block = new byte[BlockSize];
        var name = Encoding.UTF8.GetBytes(header.Name);
        if (!TrySplitName(name, out var prefix, out var shortName))
        {
            PaxRecords.Append(records, "path", name);
            shortName = name.AsSpan(0, Math.Min(name.Length, 100)).ToArray();
            prefix = [];
        }
        shortName.CopyTo(block, 0);
        prefix.CopyTo(block, 345);
        var link = Encoding.UTF8.GetBytes(header.LinkName);
        if (link.Length > 100 || !Ascii.IsValid(link))
            PaxRecords.Append(records, "linkpath", link);
        else
            link.CopyTo(block, 157);
        WriteOctal(block.AsSpan(100, 8), header.Mode);
        if (!WriteOctal(block.AsSpan(124, 12), header.Size))
            PaxRecords.Append(records, "size", Decimal(header.Size));
        if (!WriteOctal(block.AsSpan(108, 8), header.Uid))
            PaxRecords.Append(records, "uid", Decimal(header.Uid));
        if (!WriteOctal(block.AsSpan(116, 8), header.Gid))
            PaxRecords.Append(records, "gid", Decimal(header.Gid));
        if (!WriteOctal(block.AsSpan(136, 12), header.ModificationTime))
            PaxRecords.Append(records, "mtime", Decimal(header.ModificationTime));
        if (!WriteOctal(block.AsSpan(329, 8), header.DeviceMajor) || !WriteOctal(block.AsSpan(337, 8), header.DeviceMinor))
            throw new IOException($"The device number of {header.Name} does not fit in a tar header.");
        foreach (var (xattr, value) in header.Xattrs.OrderBy(x => x.Key, StringComparer.Ordinal))
            PaxRecords.Append(records, PaxRecords.XattrPrefix + xattr, value);
        block[156] = (byte)header.Type;

        if (records.Length > 0)
            WritePaxHeader(records);
        WriteHeaderBlock(block);
        if (header.Size > 0)
            WriteContent(header, content ?? Stream.Null);
    }

    /// <summary>Writes the end-of-archive marker.</summary>
    public void Finish()
    {
        _output.Write(new byte[BlockSize * 2]);
        _output.Flush();
    }

    private void WritePaxHeader(MemoryStream records)
    {
        var block = new byte[BlockSize];
        Encoding.ASCII.GetBytes(PaxHeaderName).CopyTo(block, 0);
        WriteOctal(block.AsSpan(100, 8), 0x1A4); // 0644
        WriteOctal(block.AsSpan(108, 8), 0);
        WriteOctal(block.AsSpan(116, 8), 0);
        WriteOctal(block.AsSpan(124, 12), records.Length);
        WriteOctal(block.AsSpan(136, 12), 0);
        block[156] = (byte)'x';
        WriteHeaderBlock(block);
        _output.Write(records.GetBuffer(), 0, (int)records.Length);
        Pad(records.Length);
    }

    private void WriteHeaderBlock(byte[] block)
    {
        "ustar\0"u8.CopyTo(block.AsSpan(257));
        "00"u8.CopyTo(block.AsSpan(263));
        block.AsSpan(148, 8).Fill((byte)' ');
        var checksum = 0;
        foreach (var b in block)
            checksum += b;
        WriteOctal(block.AsSpan(148, 7), checksum);
        _output.Write(block);
    }

    private byte[]? _contentBuffer;

    private void WriteContent(LayerTarHeader header, Stream content)
    {
        // One buffer for the whole tar: a fresh one per file would land on the large object heap every time.
        var buffer = _contentBuffer ??= new byte[128 * 1024];
        var left = header.Size;
        while (left > 0)
        {
            var read = content.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
                throw new IOException($"{header.Name} shrank while it was being packed.");
            _output.Write(buffer, 0, read);
            left -= read;
        }
        Pad(header.Size);
    }

    private void Pad(long length)
    {
        var remainder = (int)(length % BlockSize);
        if (remainder != 0)
            _output.Write(new byte[BlockSize - remainder]);
    }

    /// <summary>Splits a name into ustar prefix and name fields; false when it needs a PAX path record.</summary>
    private static bool TrySplitName(byte[] name, out byte[] prefix, out byte[] shortName)
    {
        prefix = [];
        shortName = name;
        if (!Ascii.IsValid(name))
            return false;
        if (name.Length <= 100)
            return true;
        for (var i = Math.Min(155, name.Length - 1); i > 0; i--)
        {
            if (name[i] == (byte)'/' && name.Length - i - 1 is > 0 and <= 100)
            {
                prefix = name[..i];
                shortName = name[(i + 1)..];
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes zero-padded octal and a terminating NUL; false (field left zero) when the value does not fit.</summary>
    private static bool WriteOctal(Span<byte> field, long value)
    {
        var digits = field.Length - 1;
        if (value < 0 || value >= 1L << (3 * digits))
            return false;
        for (var i = digits - 1; i >= 0; i--, value >>= 3)
            field[i] = (byte)('0' + (value & 7));
        field[digits] = 0;
        return true;
    }

    private static byte[] Decimal(long value) => Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
