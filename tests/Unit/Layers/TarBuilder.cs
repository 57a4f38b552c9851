using System.Formats.Tar;
using System.Text;

namespace PSContainer.Tests.Layers;

/// <summary>Builds layer tars in memory.</summary>
internal sealed class TarBuilder
{
    public static readonly DateTimeOffset Epoch2020 = new(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly List<PaxTarEntry> _entries = [];

    public TarBuilder File(string name, string content = "", UnixFileMode mode = (UnixFileMode)0x1A4, int uid = 0, int gid = 0,
        Dictionary<string, string>? pax = null)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.RegularFile, name, pax ?? [])
        {
            Mode = mode, Uid = uid, Gid = gid, ModificationTime = Epoch2020,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        });
        return this;
    }

    public TarBuilder Dir(string name, UnixFileMode mode = (UnixFileMode)0x1ED, Dictionary<string, string>? pax = null)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.Directory, name, pax ?? []) { Mode = mode, ModificationTime = Epoch2020 });
        return this;
    }

    public TarBuilder Symlink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0x1FF, ModificationTime = Epoch2020 });
        return this;
    }

    public TarBuilder HardLink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = Epoch2020 });
        return this;
    }

    public TarBuilder Node(string name, TarEntryType type, int major = 0, int minor = 0)
    {
        var entry = new PaxTarEntry(type, name) { Mode = (UnixFileMode)0x1B6, ModificationTime = Epoch2020 };
        if (type != TarEntryType.Fifo)
            (entry.DeviceMajor, entry.DeviceMinor) = (major, minor);
        _entries.Add(entry);
        return this;
    }

    /// <summary>A one-entry ustar archive whose type flag is rewritten, for types TarWriter refuses to write.</summary>
    public static byte[] WithTypeFlag(char type)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "odd"));
        var tar = output.ToArray();
        tar[156] = (byte)type;
        tar.AsSpan(148, 8).Fill((byte)' ');
        var checksum = tar.AsSpan(0, 512).ToArray().Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0").CopyTo(tar, 148);
        return tar;
    }

    public byte[] Build()
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var entry in _entries)
                writer.WriteEntry(entry);
        return output.ToArray();
    }
}
