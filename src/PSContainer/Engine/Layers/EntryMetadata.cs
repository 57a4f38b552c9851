using System.Formats.Tar;
using System.Text;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Layers;

/// <summary>The metadata a tar entry gives its file: permission bits, owner, mtime and extended attributes.</summary>
/// <param name="Mode">Permission bits including setuid, setgid and sticky.</param>
/// <param name="Uid">The owner's user id.</param>
/// <param name="Gid">The owner's group id.</param>
/// <param name="ModificationTime">The mtime, also used as the atime.</param>
/// <param name="Xattrs">Extended attributes with raw values, overlay ones already removed.</param>
internal sealed record EntryMetadata(uint Mode, int Uid, int Gid, DateTimeOffset ModificationTime, IReadOnlyDictionary<string, byte[]> Xattrs)
{
    /// <summary>
    /// Reads an entry's metadata. Xattr values come from the raw PAX records when they agree with what the
    /// reader decoded, because the reader's UTF-8 strings cannot hold binary values; ids above 2^31−1 and times
    /// beyond the reader's range come from <paramref name="raw"/> too.
    /// </summary>
    public static EntryMetadata From(TarEntry entry, RawEntryHeader raw)
    {
        var rawRecords = raw.PaxRecords;
        var xattrs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (entry is PaxTarEntry pax)
        {
            foreach (var (key, decoded) in pax.ExtendedAttributes)
            {
                if (!key.StartsWith(PaxRecords.XattrPrefix, StringComparison.Ordinal))
                    continue;
                var name = key[PaxRecords.XattrPrefix.Length..];
                if (!LayerXattrs.IsAllowed(name))
                    continue;
                xattrs[name] = rawRecords.TryGetValue(key, out var value) && Encoding.UTF8.GetString(value) == decoded
                    ? value
                    : Encoding.UTF8.GetBytes(decoded);
            }
        }
        // An id of 2^31 or more keeps its bits in the Int32 that lchown passes on as uid_t.
        return new EntryMetadata((uint)entry.Mode & 0xFFF, raw.Uid is { } uid ? unchecked((int)uid) : entry.Uid,
            raw.Gid is { } gid ? unchecked((int)gid) : entry.Gid, raw.ModificationTime ?? entry.ModificationTime, xattrs);
    }

    /// <summary>
    /// Applies the metadata to a path without following it. Owner first, since chown clears setuid bits and
    /// file capabilities; mtime last, since setting attributes would not change it but writing would.
    /// </summary>
    public unsafe void Apply(string path, bool isSymlink)
    {
        Libc.Check(Libc.lchown(path, Uid, Gid), "change the owner of", path);
        if (!isSymlink)
            Libc.Check(Libc.chmod(path, Mode), "change the mode of", path);
        foreach (var (name, value) in Xattrs)
            LayerXattrs.SetIfSupported(path, name, value);
        var ticks = (ModificationTime - DateTimeOffset.UnixEpoch).Ticks;
        var time = new Libc.Timespec
        {
            Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder) - (remainder < 0 ? 1 : 0),
            Nanoseconds = (remainder < 0 ? remainder + TimeSpan.TicksPerSecond : remainder) * 100,
        };
        var times = stackalloc Libc.Timespec[2] { time, time };
        Libc.Check(Libc.utimensat(Libc.AT_FDCWD, path, times, Libc.AT_SYMLINK_NOFOLLOW), "set the times of", path);
    }
}
