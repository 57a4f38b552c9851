using System.Formats.Tar;
using System.Text;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Layers;

/// <summary>The metadata a layer's tar entry gives the file it unpacks to.</summary>
internal static class TarEntryMetadata
{
    /// <summary>
    /// Reads an entry's metadata. Xattr values come from the raw PAX records when they agree with what the
    /// reader decoded, because the reader's UTF-8 strings cannot hold binary values.
    /// </summary>
    public static EntryMetadata Read(TarEntry entry, IReadOnlyDictionary<string, byte[]> rawRecords)
    {
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
                xattrs[name] = rawRecords.TryGetValue(key, out var raw) && Encoding.UTF8.GetString(raw) == decoded
                    ? raw
                    : Encoding.UTF8.GetBytes(decoded);
            }
        }
        return new EntryMetadata((uint)entry.Mode & 0xFFF, entry.Uid, entry.Gid, entry.ModificationTime, xattrs);
    }
}
