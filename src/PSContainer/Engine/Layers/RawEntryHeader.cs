namespace PSContainer.Engine.Layers;

/// <summary>
/// What a tar entry's headers said that System.Formats.Tar's entry cannot hold: the raw PAX records (binary xattr
/// values) and ids or a time beyond its Int32 and DateTimeOffset range. Null where the reader's value is right.
/// </summary>
/// <param name="PaxRecords">The raw PAX records of the entry, empty when it had none.</param>
/// <param name="Uid">An owner id above 2^31−1.</param>
/// <param name="Gid">A group id above 2^31−1.</param>
/// <param name="ModificationTime">An mtime beyond DateTimeOffset's range, clamped to it.</param>
internal sealed record RawEntryHeader(IReadOnlyDictionary<string, byte[]> PaxRecords, long? Uid, long? Gid, DateTimeOffset? ModificationTime)
{
    /// <summary>Nothing beyond what the reader holds.</summary>
    public static readonly RawEntryHeader Empty = new(new Dictionary<string, byte[]>(StringComparer.Ordinal), null, null, null);
}
