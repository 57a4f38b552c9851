using System.Formats.Tar;
using Microsoft.Win32.SafeHandles;
using PSContainer.Engine.Interop;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Layers;

/// <summary>Writes overlay diff directories as OCI layer tars.</summary>
internal static class LayerPacker
{
    private static readonly string[] UnsupportedOverlayXattrs =
    [
        "trusted.overlay.redirect", "trusted.overlay.metacopy", "user.overlay.redirect", "user.overlay.metacopy",
    ];

    /// <summary>
    /// Writes <paramref name="diffDir"/> as a PAX layer tar: overlay whiteouts become <c>.wh.</c> entries and
    /// opaque directories get a <c>.wh..wh..opq</c> entry; entries come in name order with whole-second mtimes
    /// so the same tree always gives the same bytes. The root directory itself is not written.
    /// The tree must not change while it is packed (pause a running container first).
    /// </summary>
    public static void Pack(string diffDir, Stream output)
    {
        var root = Path.GetFullPath(diffDir).TrimEnd('/');
        var writer = new PaxTarWriter(output);
        var hardLinks = new Dictionary<(uint, uint, ulong), string>();
        if (OverlayWhiteout.IsOpaque(root))
            writer.Write(OpaqueMarker("", Libc.LStat(root)!.Value), null);
        PackChildren(root, "", writer, hardLinks);
        writer.Finish();
    }

    private static void PackChildren(string directory, string relative, PaxTarWriter writer, Dictionary<(uint, uint, ulong), string> hardLinks)
    {
        var names = Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var full = directory + "/" + name;
            var path = relative.Length == 0 ? name : relative + "/" + name;
            if (Libc.LStat(full) is not { } stat)
                continue;
            if (OverlayWhiteout.IsWhiteout(stat))
            {
                var parent = relative.Length == 0 ? "" : relative + "/";
                writer.Write(Header(parent + OverlayWhiteout.Prefix + name, TarEntryType.RegularFile, stat) with { Mode = stat.Mode & 0x1FFu }, null);
                continue;
            }
            var xattrs = LayerXattrs.Read(full);
            if (UnsupportedOverlayXattrs.FirstOrDefault(xattrs.ContainsKey) is { } feature)
                throw new EngineException("UnsupportedOverlayDiff", EngineErrorKind.InvalidState,
                    $"'{path}' carries {feature}; diffs from overlays mounted with redirect_dir or metacopy cannot be packed.", path);
            var kept = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (key, value) in xattrs)
                if (LayerXattrs.IsAllowed(key))
                    kept[key] = value;
            PackEntry(full, path, stat, kept, writer, hardLinks);
        }
    }

    private static void PackEntry(string full, string path, Libc.Statx stat, SortedDictionary<string, byte[]> xattrs,
        PaxTarWriter writer, Dictionary<(uint, uint, ulong), string> hardLinks)
    {
        switch (stat.FileType)
        {
            case Libc.S_IFDIR:
                writer.Write(Header(path + "/", TarEntryType.Directory, stat) with { Xattrs = xattrs }, null);
                if (OverlayWhiteout.IsOpaque(full))
                    writer.Write(OpaqueMarker(path + "/", stat), null);
                PackChildren(full, path, writer, hardLinks);
                break;
            case Libc.S_IFREG:
                var inode = (stat.DevMajor, stat.DevMinor, stat.Ino);
                if (stat.Nlink > 1 && hardLinks.TryGetValue(inode, out var first))
                {
                    writer.Write(Header(path, TarEntryType.HardLink, stat) with { LinkName = first }, null);
                    break;
                }
                if (stat.Nlink > 1)
                    hardLinks[inode] = path;
                using (var content = OpenNoFollow(full))
                    writer.Write(Header(path, TarEntryType.RegularFile, stat) with { Size = (long)stat.Size, Xattrs = xattrs }, content);
                break;
            case Libc.S_IFLNK:
                var target = new FileInfo(full).LinkTarget ?? throw new IOException($"Cannot read the symlink {full}.");
                writer.Write(Header(path, TarEntryType.SymbolicLink, stat) with { LinkName = target, Xattrs = xattrs }, null);
                break;
            case Libc.S_IFCHR or Libc.S_IFBLK:
                var type = stat.FileType == Libc.S_IFCHR ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice;
                writer.Write(Header(path, type, stat) with { DeviceMajor = stat.RdevMajor, DeviceMinor = stat.RdevMinor, Xattrs = xattrs }, null);
                break;
            case Libc.S_IFIFO:
                writer.Write(Header(path, TarEntryType.Fifo, stat) with { Xattrs = xattrs }, null);
                break;
            // Sockets belong to the process that bound them; like Docker, layers leave them out.
        }
    }

    private static LayerTarHeader Header(string name, TarEntryType type, in Libc.Statx stat) => new(name, type)
    {
        Mode = stat.Mode & 0xFFFu,
        Uid = stat.Uid,
        Gid = stat.Gid,
        ModificationTime = stat.MtimeSeconds,
    };

    private static LayerTarHeader OpaqueMarker(string directoryPrefix, in Libc.Statx directory) =>
        Header(directoryPrefix + OverlayWhiteout.OpaqueMarker, TarEntryType.RegularFile, directory) with { Mode = 0 };

    private static FileStream OpenNoFollow(string path)
    {
        // O_NOFOLLOW: should the file have been swapped for a symlink since the lstat, read nothing through it.
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        if (fd < 0)
            throw new IOException($"Cannot open {path}: {Libc.ErrorText(Libc.LastError)}");
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read);
    }
}
