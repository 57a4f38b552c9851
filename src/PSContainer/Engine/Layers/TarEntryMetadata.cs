using System.Formats.Tar;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Layers;

/// <summary>The metadata a layer's tar entry gives the file it unpacks to.</summary>
internal static class TarEntryMetadata
{
    /// <summary>
    /// Reads an entry's metadata. Extended attributes come from the raw PAX records of the entry's header, since the
    /// reader's UTF-8 strings cannot hold binary values (nor does it show PAX records on an entry of GNU format);
    /// ids above 2^31−1 and times beyond the reader's range come from <paramref name="header"/> too.
    /// </summary>
    public static EntryMetadata Read(TarEntry entry, RawEntryHeader header)
    {
        var xattrs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in header.PaxRecords)
        {
            if (!key.StartsWith(PaxRecords.XattrPrefix, StringComparison.Ordinal))
                continue;
            var name = key[PaxRecords.XattrPrefix.Length..];
            if (LayerXattrs.IsAllowed(name))
                xattrs[name] = value;
        }
        // An id of 2^31 or more keeps its bits in the Int32 that lchown passes on as uid_t.
        return new EntryMetadata((uint)entry.Mode & 0xFFF, header.Uid is { } uid ? unchecked((int)uid) : entry.Uid,
            header.Gid is { } gid ? unchecked((int)gid) : entry.Gid, header.ModificationTime ?? entry.ModificationTime, xattrs);
    }
}
