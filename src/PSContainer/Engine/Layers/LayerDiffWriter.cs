using System.Formats.Tar;
using PSContainer.Engine.Interop;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Layers;

/// <summary>
/// Writes tar entries into one overlay diff directory. Paths are walked component by component with lstat
/// and a symlink anywhere but the last component is refused, so no entry can make a later one land outside
/// the directory. The directory is private to the unpack, so nothing races these checks.
/// </summary>
internal sealed class LayerDiffWriter
{
    private const uint NewDirectoryMode = 0x1ED; // 0755, what Docker gives directories a layer implies
    private const uint NewNodeMode = 0x180; // 0600 until the entry's own mode is applied
    private const int CopyBufferSize = 128 * 1024;

    private readonly string _root;

    // Directory metadata waits for the end: writing children would move the mtime again.
    private readonly Dictionary<string, EntryMetadata> _directories = new(StringComparer.Ordinal);

    /// <summary>Prepares to write into <paramref name="root"/>, creating it when missing.</summary>
    public LayerDiffWriter(string root)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        Directory.CreateDirectory(_root);
    }

    /// <summary>Applies one entry; returns the bytes of regular file content written.</summary>
    public long Apply(TarEntry entry, RawEntryHeader raw, CancellationToken cancellationToken)
    {
        if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            return 0;
        var path = LayerEntryName.Normalize(entry.Name);
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (name.StartsWith(OverlayWhiteout.Prefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(entry.Name, path, name, TarEntryMetadata.Read(entry, raw));
            return 0;
        }
        if (path.Length == 0 && entry.EntryType != TarEntryType.Directory)
            throw LayerEntryName.Unsafe(entry.Name, "replaces the layer root with something other than a directory");
        var metadata = TarEntryMetadata.Read(entry, raw);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                AddDirectory(entry.Name, path, metadata);
                return 0;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                return AddFile(entry.Name, path, entry.DataStream, metadata, cancellationToken);
            case TarEntryType.SymbolicLink:
                AddSymlink(entry.Name, path, entry.LinkName, metadata);
                return 0;
            case TarEntryType.HardLink:
                AddHardLink(entry.Name, path, entry.LinkName);
                return 0;
            case TarEntryType.CharacterDevice:
                AddNode(entry.Name, path, Libc.S_IFCHR, (PosixTarEntry)entry, metadata);
                return 0;
            case TarEntryType.BlockDevice:
                AddNode(entry.Name, path, Libc.S_IFBLK, (PosixTarEntry)entry, metadata);
                return 0;
            case TarEntryType.Fifo:
                AddNode(entry.Name, path, Libc.S_IFIFO, (PosixTarEntry)entry, metadata);
                return 0;
            default:
                throw new EngineException("UnsupportedLayerEntry", EngineErrorKind.InvalidData,
                    $"Layer entry '{entry.Name}' has the unsupported type {entry.EntryType}.", entry.Name);
        }
    }

    /// <summary>Applies the deferred directory metadata; call once after the last entry.</summary>
    public void Finish()
    {
        foreach (var (path, metadata) in _directories)
        {
            var full = Full(path);
            if (Libc.LStat(full) is { FileType: Libc.S_IFDIR })
                metadata.Apply(full, isSymlink: false);
        }
    }

    private void ApplyWhiteout(string entryName, string path, string name, EntryMetadata metadata)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? "" : path[..slash];
        if (name == OverlayWhiteout.OpaqueMarker)
        {
            // Only lower layers are hidden; what this layer already put in the directory stays.
            EnsureDirectories(entryName, path, Components(parent).Length);
            OverlayWhiteout.MarkOpaque(Full(parent));
            return;
        }
        if (name.StartsWith(OverlayWhiteout.ReservedPrefix, StringComparison.Ordinal))
            return;
        var hidden = name[OverlayWhiteout.Prefix.Length..];
        if (hidden is "" or "." or "..")
            throw LayerEntryName.Unsafe(entryName, "is a whiteout of an invalid name");
        var hiddenPath = parent.Length == 0 ? hidden : parent + "/" + hidden;
        // The OCI spec lets a whiteout hide only lower layers, so a path this layer created wins.
        if (PrepareParent(entryName, hiddenPath) is null)
        {
            OverlayWhiteout.Create(Full(hiddenPath));
            // The entry's mtime, not the unpacking's: the same layer must give the same tree every time.
            metadata.ApplyTime(Full(hiddenPath));
        }
    }

    private void AddDirectory(string entryName, string path, EntryMetadata metadata)
    {
        var existing = PrepareParent(entryName, path);
        if (existing is not { FileType: Libc.S_IFDIR })
            ReplaceWithDirectory(path, existing);
        _directories[path] = metadata;
    }

    private long AddFile(string entryName, string path, Stream? data, EntryMetadata metadata, CancellationToken cancellationToken)
    {
        var full = PrepareNew(entryName, path);
        long written = 0;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        using (var file = new FileStream(full, options))
        {
            if (data is not null)
            {
                var buffer = new byte[CopyBufferSize];
                int read;
                while ((read = data.Read(buffer)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    file.Write(buffer, 0, read);
                    written += read;
                }
            }
        }
        metadata.Apply(full, isSymlink: false);
        return written;
    }

    private void AddSymlink(string entryName, string path, string target, EntryMetadata metadata)
    {
        if (target.Length == 0)
            throw Corrupt(entryName, "is a symlink without a target");
        var full = PrepareNew(entryName, path);
        File.CreateSymbolicLink(full, target);
        metadata.Apply(full, isSymlink: true);
    }

    private void AddHardLink(string entryName, string path, string linkName)
    {
        var target = LayerEntryName.Normalize(linkName);
        var targetFull = ResolveLinkTarget(entryName, target);
        if (target == path)
            return;
        var full = PrepareNew(entryName, path);
        // Flags 0: link the target itself, even when it is a symlink.
        if (Libc.linkat(Libc.AT_FDCWD, targetFull, Libc.AT_FDCWD, full, 0) != 0)
            throw Corrupt(entryName, $"cannot be linked to '{linkName}': {Libc.ErrorText(Libc.LastError)}");
    }

    private void AddNode(string entryName, string path, uint type, PosixTarEntry entry, EntryMetadata metadata)
    {
        var full = PrepareNew(entryName, path);
        Libc.Check(Libc.mknod(full, type | NewNodeMode, Libc.MakeDev((uint)entry.DeviceMajor, (uint)entry.DeviceMinor)), "create the device node", full);
        metadata.Apply(full, isSymlink: false);
    }

    private string ResolveLinkTarget(string entryName, string target)
    {
        var parts = Components(target);
        if (parts.Length == 0)
            throw Corrupt(entryName, "is a hard link to the layer root");
        var current = _root;
        for (var i = 0; i < parts.Length; i++)
        {
            current += "/" + parts[i];
            var stat = Libc.LStat(current);
            if (stat is null)
                throw Corrupt(entryName, $"is a hard link to '{target}', which is not in the layer");
            if (i == parts.Length - 1)
            {
                if (stat.Value.FileType == Libc.S_IFDIR)
                    throw Corrupt(entryName, "is a hard link to a directory");
            }
            else if (stat.Value.FileType == Libc.S_IFLNK)
                throw LayerEntryName.Unsafe(entryName, $"is a hard link through the symlink '{string.Join('/', parts[..(i + 1)])}'");
            else if (stat.Value.FileType != Libc.S_IFDIR)
                throw Corrupt(entryName, $"is a hard link to '{target}', which is not in the layer");
        }
        return current;
    }

    /// <summary>Makes the parent directories and clears the path itself for a new non-directory entry.</summary>
    private string PrepareNew(string entryName, string path)
    {
        if (PrepareParent(entryName, path) is { } existing)
            Remove(path, existing);
        return Full(path);
    }

    /// <summary>Makes the parent directories of a path; returns what is at the path now.</summary>
    private Libc.Statx? PrepareParent(string entryName, string path)
    {
        var parts = Components(path);
        EnsureDirectories(entryName, path, Math.Max(parts.Length - 1, 0));
        return Libc.LStat(Full(path));
    }

    private void EnsureDirectories(string entryName, string path, int count)
    {
        var parts = Components(path);
        for (var i = 0; i < count; i++)
        {
            var prefix = string.Join('/', parts[..(i + 1)]);
            var stat = Libc.LStat(Full(prefix));
            switch (stat?.FileType)
            {
                case Libc.S_IFDIR:
                    continue;
                case Libc.S_IFLNK:
                    throw LayerEntryName.Unsafe(entryName, $"goes through the symlink '{prefix}'");
                case null:
                    ReplaceWithDirectory(prefix, null);
                    break;
                case var _ when OverlayWhiteout.IsWhiteout(stat.Value):
                    // A path this layer whited out comes back as a directory that still hides the lower one.
                    ReplaceWithDirectory(prefix, stat);
                    break;
                default:
                    // A file this layer made cannot hold entries; Docker's unpack fails here with ENOTDIR too.
                    throw Corrupt(entryName, $"is inside '{prefix}', which an earlier entry made something other than a directory");
            }
        }
    }

    private void ReplaceWithDirectory(string path, Libc.Statx? existing)
    {
        var full = Full(path);
        var wasWhiteout = existing is { } old && OverlayWhiteout.IsWhiteout(old);
        if (existing is { } stat)
            Remove(path, stat);
        Directory.CreateDirectory(full);
        Libc.Check(Libc.chmod(full, NewDirectoryMode), "change the mode of", full);
        // A directory recreated over its own whiteout must still hide the lower directory's content.
        if (wasWhiteout)
            OverlayWhiteout.MarkOpaque(full);
    }

    private void Remove(string path, Libc.Statx existing)
    {
        var full = Full(path);
        if (existing.FileType != Libc.S_IFDIR)
        {
            File.Delete(full);
            return;
        }
        // .NET unlinks symlinks it meets during a recursive delete rather than descending into them.
        Directory.Delete(full, recursive: true);
        var under = path + "/";
        foreach (var key in _directories.Keys.Where(k => k == path || k.StartsWith(under, StringComparison.Ordinal)).ToList())
            _directories.Remove(key);
    }

    private string Full(string path) => path.Length == 0 ? _root : _root + "/" + path;

    private static string[] Components(string path) => path.Length == 0 ? [] : path.Split('/');

    private static EngineException Corrupt(string entryName, string reason) =>
        new("CorruptLayer", EngineErrorKind.InvalidData, $"Layer entry '{entryName}' {reason}.", entryName);
}
