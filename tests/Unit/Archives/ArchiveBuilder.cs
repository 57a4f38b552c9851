using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ZstdCompressionStream = SharpCompress.Compressors.ZStandard.CompressionStream;

namespace PSContainer.Tests.Archives;

/// <summary>Builds image archives member by member, hostile ones included.</summary>
internal sealed class ArchiveBuilder
{
    private readonly List<(string Name, byte[]? Content, TarEntryType Type, string? Link)> _members = [];

    public ArchiveBuilder File(string name, byte[] content)
    {
        _members.Add((name, content, TarEntryType.RegularFile, null));
        return this;
    }

    public ArchiveBuilder File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public ArchiveBuilder Symlink(string name, string target)
    {
        _members.Add((name, null, TarEntryType.SymbolicLink, target));
        return this;
    }

    public byte[] Build()
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content, type, link) in _members)
            {
                var entry = new PaxTarEntry(type, name) { Mode = (UnixFileMode)0x1A4 };
                if (content is not null)
                    entry.DataStream = new MemoryStream(content);
                if (link is not null)
                    entry.LinkName = link;
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        var output = new MemoryStream();
        using (var zstd = new ZstdCompressionStream(output, level: 3, leaveOpen: true))
            zstd.Write(data);
        return output.ToArray();
    }

    /// <summary>The names of the members of an archive file, in order.</summary>
    public static List<string> Names(string path)
    {
        using var reader = new TarReader(System.IO.File.OpenRead(path));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            names.Add(entry.Name);
        return names;
    }

    /// <summary>The content of one member of an archive file.</summary>
    public static string Read(string path, string member)
    {
        using var reader = new TarReader(System.IO.File.OpenRead(path));
        while (reader.GetNextEntry() is { } entry)
            if (entry.Name == member)
                return new StreamReader(entry.DataStream!).ReadToEnd();
        throw new Xunit.Sdk.XunitException($"{path} has no member {member}");
    }
}
