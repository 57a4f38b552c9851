using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PSContainer.Engine.Layers;
using SharpCompress.Common;
using PSContainer.Engine.Registry;

namespace PSContainer.Engine.Archives;

/// <summary>
/// What a tar holds, learned in one pass over its headers: every member, the small JSON documents (manifests,
/// configs, indexes) kept in memory, and whether it is a docker-archive, an oci-archive or neither. Archives put
/// those documents anywhere, often last, so nothing can be stored before the whole tar has been seen; later passes
/// re-open the source and stream only the members they need, so memory stays bounded whatever the archive's size.
/// A plain tar on a seekable stream is skipped through by seeking; a compressed one is decompressed again per pass.
/// </summary>
internal sealed class ArchiveCatalog
{
    /// <summary>The largest JSON document an archive may hold, as for registry manifests.</summary>
    public const int DocumentLimit = Registry.RegistryClient.ManifestSizeLimit;

    // Memory for documents read ahead in the first pass; what does not fit is read by a pass of its own.
    private const long ReadAheadBudget = 64L << 20;

    private readonly Func<Stream> _open;
    private readonly CancellationToken _cancel;
    private readonly Dictionary<string, ArchiveMember> _members;
    private readonly Dictionary<string, byte[]> _documents;

    private ArchiveCatalog(Func<Stream> open, CancellationToken cancel, Dictionary<string, ArchiveMember> members, Dictionary<string, byte[]> documents,
        long sourceLength)
    {
        _open = open;
        SourceLength = sourceLength;
        _cancel = cancel;
        _members = members;
        _documents = documents;
        if (members.ContainsKey("manifest.json"))
            Format = ImageArchiveFormat.DockerArchive;
        else if (members.ContainsKey("index.json") && members.ContainsKey("oci-layout"))
            Format = ImageArchiveFormat.OciArchive;
    }

    /// <summary>The bytes of the source (compressed, when it is) the first pass read: what an expansion limit is measured against.</summary>
    public long SourceLength { get; }

    /// <summary>The kind of image archive, or null for any other tar (a root filesystem).</summary>
    public ImageArchiveFormat? Format { get; }

    /// <summary>
    /// Reads the headers of the tar <paramref name="open"/> returns (plain, gzip or zstd). An image archive with a
    /// member whose name is unsafe or given twice is refused; other tars are left for the rootfs importer to judge.
    /// </summary>
    public static ArchiveCatalog Scan(Func<Stream> open, CancellationToken cancel)
    {
        var members = new Dictionary<string, ArchiveMember>(StringComparer.Ordinal);
        var documents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? unsafeName = null, duplicate = null;
        var budget = ReadAheadBudget;
        var sourceLength = 0L;
        ReadTar(() => new Content.ProgressReadStream(open(), done => sourceLength = done), reader =>
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                cancel.ThrowIfCancellationRequested();
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                    continue;
                var name = ArchivePath.Normalize(entry.Name);
                if (name is null)
                {
                    unsafeName ??= entry.Name;
                    continue;
                }
                ArchiveMember member;
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        member = new ArchiveMember(name, entry.Length, null, false);
                        break;
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        member = new ArchiveMember(name, 0, entry.LinkName, entry.EntryType == TarEntryType.SymbolicLink);
                        break;
                    default:
                        continue;
                }
                if (!members.TryAdd(name, member))
                {
                    duplicate ??= name;
                    continue;
                }
                if (member.LinkTarget is null && member.Size <= Math.Min(DocumentLimit, budget) && IsDocumentName(name) &&
                    ReadDocument(entry.DataStream, member.Size) is { } document)
                {
                    documents[name] = document;
                    budget -= document.Length;
                }
            }
        });
        var catalog = new ArchiveCatalog(open, cancel, members, documents, sourceLength);
        if (catalog.Format is not null && unsafeName is not null)
            throw ArchivePath.Unsafe(unsafeName);
        if (catalog.Format is not null && duplicate is not null)
            throw new EngineException("DuplicateArchiveMember", EngineErrorKind.InvalidData,
                $"The archive holds '{duplicate}' more than once; which copy counts would be a guess, so it is refused.", duplicate);
        return catalog;
    }

    /// <summary>
    /// Finds the file <paramref name="path"/> names, following links inside the archive.
    /// Throws when it is missing, unsafe, or a link that leaves the archive or loops.
    /// </summary>
    public ArchiveMember Resolve(string path)
    {
        var name = ArchivePath.Normalize(path) ?? throw ArchivePath.Unsafe(path);
        for (var hops = 0; ; hops++)
        {
            if (!_members.TryGetValue(name, out var member))
                throw new EngineException("ArchiveMemberMissing", EngineErrorKind.InvalidData, $"The archive refers to '{path}', which it does not hold.", path);
            if (member.LinkTarget is null)
                return member;
            if (hops == ArchivePath.MaxLinkHops)
                throw new EngineException("ArchiveLinkLoop", EngineErrorKind.InvalidData, $"The links from '{path}' in the archive go round in a loop.", path);
            name = ArchivePath.LinkTarget(member.Name, member.LinkTarget, member.IsSymbolic) ?? throw ArchivePath.Unsafe(member.LinkTarget);
        }
    }

    /// <summary>The content of a JSON document, from memory or by one more pass.</summary>
    public byte[] ReadDocument(string path)
    {
        var member = Resolve(path);
        if (member.Size > DocumentLimit)
            throw new EngineException("ArchiveDocumentTooLarge", EngineErrorKind.InvalidData,
                $"'{path}' in the archive has {member.Size} bytes; documents larger than {DocumentLimit} are refused.", path);
        if (_documents.TryGetValue(member.Name, out var cached))
            return cached;
        byte[] content = [];
        Visit(new HashSet<string>(StringComparer.Ordinal) { member.Name }, (_, data) => content = ReadAll(data, member.Size));
        return _documents[member.Name] = content;
    }

    /// <summary>Parses a JSON document of the archive; <paramref name="path"/> names it in errors.</summary>
    public static T Parse<T>(byte[] document, JsonTypeInfo<T> type, string path)
    {
        try
        {
            return JsonSerializer.Deserialize(document, type) ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            throw new EngineException("InvalidArchive", EngineErrorKind.InvalidData, $"'{path}' in the archive is not valid: {e.Message}", path, e);
        }
    }

    /// <summary>
    /// One pass over the archive that hands each of <paramref name="names"/> (resolved file members) to
    /// <paramref name="visit"/> as a stream of its content; it stops as soon as all have been seen.
    /// </summary>
    public void Visit(IReadOnlySet<string> names, Action<string, Stream> visit)
    {
        var left = new HashSet<string>(names, StringComparer.Ordinal);
        ReadTar(_open, reader =>
        {
            while (left.Count > 0 && reader.GetNextEntry(copyData: false) is { } entry)
            {
                _cancel.ThrowIfCancellationRequested();
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile &&
                    ArchivePath.Normalize(entry.Name) is { } name && left.Remove(name))
                    visit(name, entry.DataStream ?? Stream.Null);
            }
        });
        if (left.Count > 0)
            throw new EngineException("ArchiveChanged", EngineErrorKind.InvalidData,
                $"'{left.First()}' was in the archive at first but not when read again; was the file changed meanwhile?", left.First());
    }

    private static void ReadTar(Func<Stream> open, Action<TarReader> read)
    {
        try
        {
            using var reader = new TarReader(OpenTar(open()));
            read(reader);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or OverflowException or SharpCompressException)
        {
            throw new EngineException("InvalidArchive", EngineErrorKind.InvalidData, $"The file is not a readable tar archive: {e.Message}", null, e);
        }
    }

    // A plain tar on a seekable stream stays seekable, so TarReader skips members by seeking rather than reading.
    private static Stream OpenTar(Stream source)
    {
        if (source.CanSeek)
        {
            Span<byte> head = stackalloc byte[LayerDecompression.MagicLength];
            var length = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            source.Position = 0;
            if (LayerDecompression.Sniff(head[..length]) == LayerCompression.None)
                return source;
        }
        return LayerDecompression.Open(source);
    }

    // Where docker-archives and OCI layouts keep their JSON: the top-level files, configs and blobs.
    private static bool IsDocumentName(string name) =>
        name is "manifest.json" or "index.json" or "oci-layout" || name.EndsWith(".json", StringComparison.Ordinal) ||
        name.StartsWith("blobs/", StringComparison.Ordinal);

    // Layers share names with documents in an OCI layout; their first byte tells them apart without reading them.
    private static byte[]? ReadDocument(Stream? data, long size)
    {
        if (data is null || size == 0)
            return null;
        var first = data.ReadByte();
        if (first is not ('{' or '['))
            return null;
        var content = new byte[size];
        content[0] = (byte)first;
        data.ReadExactly(content, 1, content.Length - 1);
        return content;
    }

    private static byte[] ReadAll(Stream data, long size)
    {
        var content = new byte[size];
        data.ReadExactly(content);
        return content;
    }
}
