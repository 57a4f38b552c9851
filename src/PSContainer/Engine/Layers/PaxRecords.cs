using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace PSContainer.Engine.Layers;

/// <summary>
/// PAX extended header records (<c>"%d %s=%s\n"</c>) kept as raw bytes. System.Formats.Tar decodes
/// values as UTF-8, which mangles binary xattrs such as security.capability.
/// </summary>
internal static class PaxRecords
{
    /// <summary>The record-name prefix GNU tar and Go use for extended attributes.</summary>
    public const string XattrPrefix = "SCHILY.xattr.";

    /// <summary>Parses records; stops quietly at the first malformed one, since the tar reader judges validity.</summary>
    public static Dictionary<string, byte[]> Parse(ReadOnlySpan<byte> data)
    {
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, start, length) in Values(data))
            records[key] = data.Slice(start, length).ToArray();
        return records;
    }

    /// <summary>Each record's key and where its value lies in <paramref name="data"/>, in order; stops at the first malformed one.</summary>
    public static List<(string Key, int Start, int Length)> Values(ReadOnlySpan<byte> data)
    {
        var values = new List<(string, int, int)>();
        var offset = 0;
        while (offset < data.Length)
        {
            var rest = data[offset..];
            var space = rest.IndexOf((byte)' ');
            if (space <= 0 || !Utf8Parser.TryParse(rest[..space], out int length, out var consumed) ||
                consumed != space || length <= space + 1 || length > rest.Length || rest[length - 1] != (byte)'\n')
                break;
            var record = rest[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
                break;
            values.Add((Encoding.UTF8.GetString(record[..equals]), offset + space + 1 + equals + 1, record.Length - equals - 1));
            offset += length;
        }
        return values;
    }

    /// <summary>Appends one record; its length prefix counts its own digits.</summary>
    public static void Append(Stream output, string key, ReadOnlySpan<byte> value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var body = keyBytes.Length + value.Length + 3; // ' ', '=', '\n'
        var length = body + 1;
        while (length != body + Decimal(length).Length)
            length = body + Decimal(length).Length;
        output.Write(Encoding.ASCII.GetBytes(Decimal(length)));
        output.WriteByte((byte)' ');
        output.Write(keyBytes);
        output.WriteByte((byte)'=');
        output.Write(value);
        output.WriteByte((byte)'\n');
    }

    private static string Decimal(int value) => value.ToString(CultureInfo.InvariantCulture);
}
