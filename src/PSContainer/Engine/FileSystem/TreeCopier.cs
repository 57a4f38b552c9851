using Microsoft.Win32.SafeHandles;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine.FileSystem;

/// <summary>
/// Copies file trees with their metadata, as <c>cp -a</c> or a tar round trip would: modes, owners, times,
/// extended attributes, symlinks (as links, never followed), hard links within the copy, devices and fifos.
/// At the destination an entry replaces a non-directory, merges into a directory of the same name, and is
/// refused over a directory when it is not one. Entries are only ever created inside directories this copy
/// has checked with lstat, so a symlink at the destination is replaced, never written through. The trees must
/// not change meanwhile (a running container is paused first).
/// </summary>
internal sealed class TreeCopier
{
    private const int CopyBufferSize = 128 * 1024;
    private const uint NewNodeMode = 0x180; // 0600 until the entry's own mode is applied

    private readonly string _destinationRoot;
    private readonly string _displayRoot;
    private readonly CancellationToken _cancel;
    private readonly Dictionary<(uint, uint, ulong), string> _hardLinks = new();

    // Directory metadata waits for the end: writing children would move the mtime again.
    private readonly List<(string Path, EntryMetadata Metadata)> _directories = new();

    private TreeCopier(string destinationRoot, string displayRoot, CancellationToken cancel)
    {
        _destinationRoot = destinationRoot;
        _displayRoot = displayRoot;
        _cancel = cancel;
    }

    /// <summary>
    /// Copies the entry at <paramref name="source"/> (not followed when it is a symlink) to <paramref name="destination"/>,
    /// whose parent must be a directory. Errors name the destination as <paramref name="displayDestination"/> would have it.
    /// </summary>
    public static void Copy(string source, string destination, CancellationToken cancel, string? displayDestination = null)
    {
        var copier = new TreeCopier(destination, displayDestination ?? destination, cancel);
        copier.CopyEntry(source, destination, Stat(source));
        copier.Finish();
    }

    /// <summary>Copies the children of the directory <paramref name="source"/> into the directory <paramref name="destination"/>, leaving its own metadata alone.</summary>
    public static void CopyChildren(string source, string destination, CancellationToken cancel, string? displayDestination = null)
    {
        var copier = new TreeCopier(destination, displayDestination ?? destination, cancel);
        copier.CopyChildrenOf(source, destination);
        copier.Finish();
    }

    private void CopyEntry(string source, string destination, Libc.Statx stat)
    {
        _cancel.ThrowIfCancellationRequested();
        var existing = Libc.LStat(destination);
        switch (stat.FileType)
        {
            case Libc.S_IFDIR:
                if (existing is not { FileType: Libc.S_IFDIR })
                {
                    if (existing is not null) File.Delete(destination);
                    Directory.CreateDirectory(destination);
                    // CreateDirectory accepts a symlink to a directory; only a real one may receive children.
                    if (Libc.LStat(destination) is not { FileType: Libc.S_IFDIR })
                        throw new IOException($"{Display(destination)} changed while it was being copied to.");
                }
                _directories.Add((destination, Metadata(source, stat)));
                CopyChildrenOf(source, destination);
                break;
            case Libc.S_IFREG:
                ClearForFile(destination, existing);
                var inode = (stat.DevMajor, stat.DevMinor, stat.Ino);
                if (stat.Nlink > 1 && _hardLinks.TryGetValue(inode, out var first))
                {
                    // Flags 0: link the file itself; both paths were made by this copy.
                    Libc.Check(Libc.linkat(Libc.AT_FDCWD, first, Libc.AT_FDCWD, destination, 0), "link", Display(destination));
                    break;
                }
                CopyContent(source, destination);
                Metadata(source, stat).Apply(destination, isSymlink: false);
                if (stat.Nlink > 1) _hardLinks[inode] = destination;
                break;
            case Libc.S_IFLNK:
                ClearForFile(destination, existing);
                var target = new FileInfo(source).LinkTarget ?? throw new IOException($"Cannot read the symlink {source}.");
                File.CreateSymbolicLink(destination, target);
                Metadata(source, stat).Apply(destination, isSymlink: true);
                break;
            case Libc.S_IFCHR or Libc.S_IFBLK or Libc.S_IFIFO:
                ClearForFile(destination, existing);
                Libc.Check(Libc.mknod(destination, stat.FileType | NewNodeMode, Libc.MakeDev(stat.RdevMajor, stat.RdevMinor)), "create the node", Display(destination));
                Metadata(source, stat).Apply(destination, isSymlink: false);
                break;
            // Sockets belong to the process that bound them; like tar, leave them out.
        }
    }

    private void CopyChildrenOf(string sourceDir, string destinationDir)
    {
        var names = Directory.GetFileSystemEntries(sourceDir).Select(Path.GetFileName).OfType<string>().ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var child = sourceDir + "/" + name;
            if (Libc.LStat(child) is { } stat)
                CopyEntry(child, destinationDir + "/" + name, stat);
        }
    }

    private void Finish()
    {
        for (var i = _directories.Count - 1; i >= 0; i--)
            _directories[i].Metadata.Apply(_directories[i].Path, isSymlink: false);
    }

    private void ClearForFile(string destination, Libc.Statx? existing)
    {
        if (existing is null) return;
        if (existing.Value.FileType == Libc.S_IFDIR)
            throw new EngineException("CannotOverwriteDirectory", EngineErrorKind.InvalidArgument,
                $"Cannot overwrite the directory {Display(destination)} with a non-directory.", Display(destination));
        File.Delete(destination);
    }

    private void CopyContent(string source, string destination)
    {
        using var input = OpenNoFollow(source, Libc.O_RDONLY, 0);
        // O_EXCL with O_CREAT fails on any existing name, a symlink included, so nothing is written through one.
        using var output = OpenNoFollow(destination, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL, (int)NewNodeMode);
        var buffer = new byte[CopyBufferSize];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            _cancel.ThrowIfCancellationRequested();
            output.Write(buffer, 0, read);
        }
    }

    private static EntryMetadata Metadata(string path, in Libc.Statx stat)
    {
        var xattrs = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, value) in LayerXattrs.Read(path))
            if (LayerXattrs.IsAllowed(name))
                xattrs[name] = value;
        var mtime = DateTimeOffset.FromUnixTimeSeconds(stat.MtimeSeconds).AddTicks(stat.MtimeNanoseconds / 100);
        return new EntryMetadata(stat.Mode & 0xFFFu, (int)stat.Uid, (int)stat.Gid, mtime, xattrs);
    }

    private static Libc.Statx Stat(string path) =>
        Libc.LStat(path) ?? throw new EngineException("CopySourceNotFound", EngineErrorKind.NotFound, $"{path} does not exist.", path);

    private static FileStream OpenNoFollow(string path, int flags, int mode)
    {
        var fd = Libc.open(path, flags | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, mode);
        if (fd < 0)
            throw new IOException($"Cannot open {path}: {Libc.ErrorText(Libc.LastError)}");
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), (flags & Libc.O_WRONLY) != 0 ? FileAccess.Write : FileAccess.Read);
    }

    private string Display(string path) =>
        path.StartsWith(_destinationRoot, StringComparison.Ordinal) ? _displayRoot + path[_destinationRoot.Length..] : path;
}
