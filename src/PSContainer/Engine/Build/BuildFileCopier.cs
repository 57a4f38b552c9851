using Microsoft.Win32.SafeHandles;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Writes COPY and ADD results into a build root. Every destination's parent is resolved inside the root
/// (symlinks in the image are followed, never out of it), so nothing lands outside the root. An entry
/// replaces a non-directory, merges into a directory, and sources are never followed through symlinks.
/// Owners come from <c>--chown</c>, else root for context files and the source's own for other stages;
/// modes from <c>--chmod</c>, else the source's.
/// </summary>
internal sealed class BuildFileCopier
{
    private const int CopyBufferSize = 128 * 1024;
    private const uint DirectoryMode = 0x1ED; // 0755

    private readonly string _root;
    private readonly (int Uid, int Gid)? _owner;
    private readonly uint? _mode;
    private readonly CancellationToken _cancel;
    private readonly List<(string Path, EntryMetadata Metadata)> _directories = new();

    // One copy buffer for all files: a fresh one per file would land on the large object heap every time.
    private byte[]? _buffer;

    public BuildFileCopier(string root, (int Uid, int Gid)? owner, uint? mode, CancellationToken cancel)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        _owner = owner;
        _mode = mode;
        _cancel = cancel;
    }

    /// <summary>What is at a container path now (symlinks before the last component followed inside the root).</summary>
    public Libc.Statx? Stat(string containerPath) => Libc.LStat(RootedPath.Resolve(_root, containerPath, followFinalSymlink: true));

    /// <summary>Makes sure a container directory exists (parents too) and returns its host path.</summary>
    public string EnsureDirectory(string containerPath)
    {
        var host = RootedPath.Resolve(_root, containerPath, followFinalSymlink: true);
        var relative = host.Length > _root.Length ? host[(_root.Length + 1)..] : "";
        var current = _root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + part;
            switch (Libc.LStat(current))
            {
                case { FileType: Libc.S_IFDIR }:
                    continue;
                case null:
                    Directory.CreateDirectory(current);
                    Libc.Check(Libc.chmod(current, DirectoryMode), "change the mode of", current);
                    var (uid, gid) = _owner ?? (0, 0);
                    Libc.Check(Libc.lchown(current, uid, gid), "change the owner of", current);
                    break;
                default:
                    throw new EngineException("BuildDestinationNotDirectory", EngineErrorKind.InvalidArgument,
                        $"Cannot copy to {containerPath}: {current[_root.Length..]} is not a directory.", containerPath);
            }
        }
        return current;
    }

    /// <summary>
    /// Copies the host entry <paramref name="source"/> to the container path <paramref name="destination"/>;
    /// a directory's children (those <paramref name="include"/> lets through, by path relative to the source)
    /// are copied into it. <paramref name="keepOwner"/> keeps the source's owners when no --chown is given.
    /// </summary>
    public void Copy(string source, string destination, bool keepOwner, Func<string, bool>? include = null)
    {
        var slash = destination.TrimEnd('/').LastIndexOf('/');
        var parent = EnsureDirectory(slash <= 0 ? "/" : destination[..slash]);
        var name = destination.TrimEnd('/')[(slash + 1)..];
        var stat = Libc.LStat(source) ?? throw new EngineException("BuildSourceNotFound", EngineErrorKind.NotFound, $"{source} does not exist.", source);
        var target = name.Length == 0 ? parent : parent + "/" + name;
        CopyEntry(source, target, stat, keepOwner, include, "");
    }

    /// <summary>Copies the children of the host directory <paramref name="source"/> into the container directory <paramref name="destination"/>.</summary>
    public void CopyChildren(string source, string destination, bool keepOwner, Func<string, bool>? include = null)
    {
        var target = EnsureDirectory(destination);
        CopyChildrenOf(source, target, keepOwner, include, "");
    }

    /// <summary>Writes a file with the given content (a heredoc or a download) at a container path.</summary>
    public void WriteFile(string destination, Stream content, uint mode, DateTimeOffset? modified)
    {
        var slash = destination.LastIndexOf('/');
        var parent = EnsureDirectory(slash <= 0 ? "/" : destination[..slash]);
        var target = parent + "/" + destination[(slash + 1)..];
        Clear(target, Libc.LStat(target));
        using (var output = OpenNoFollow(target, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL, 0x180))
            content.CopyTo(output);
        var (uid, gid) = _owner ?? (0, 0);
        new EntryMetadata(_mode ?? mode, uid, gid, modified ?? DateTimeOffset.UtcNow, Empty).Apply(target, isSymlink: false);
    }

    /// <summary>Applies the deferred directory metadata; call once after the last copy.</summary>
    public void Finish()
    {
        for (var i = _directories.Count - 1; i >= 0; i--)
            _directories[i].Metadata.Apply(_directories[i].Path, isSymlink: false);
        _directories.Clear();
    }

    private static readonly IReadOnlyDictionary<string, byte[]> Empty = new Dictionary<string, byte[]>();

    private void CopyEntry(string source, string target, Libc.Statx stat, bool keepOwner, Func<string, bool>? include, string relative)
    {
        _cancel.ThrowIfCancellationRequested();
        var existing = Libc.LStat(target);
        var metadata = Metadata(stat, keepOwner);
        switch (stat.FileType)
        {
            case Libc.S_IFDIR:
                if (existing is not { FileType: Libc.S_IFDIR })
                {
                    Clear(target, existing);
                    Directory.CreateDirectory(target);
                }
                _directories.Add((target, metadata));
                CopyChildrenOf(source, target, keepOwner, include, relative);
                break;
            case Libc.S_IFREG:
                Clear(target, existing);
                using (var input = OpenNoFollow(source, Libc.O_RDONLY, 0))
                using (var output = OpenNoFollow(target, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL, 0x180))
                {
                    var buffer = _buffer ??= new byte[CopyBufferSize];
                    int read;
                    while ((read = input.Read(buffer)) > 0) output.Write(buffer, 0, read);
                }
                metadata.Apply(target, isSymlink: false);
                break;
            case Libc.S_IFLNK:
                Clear(target, existing);
                File.CreateSymbolicLink(target, new FileInfo(source).LinkTarget ?? "");
                metadata.Apply(target, isSymlink: true);
                break;
            case Libc.S_IFCHR or Libc.S_IFBLK or Libc.S_IFIFO:
                Clear(target, existing);
                Libc.Check(Libc.mknod(target, stat.FileType | 0x180, Libc.MakeDev(stat.RdevMajor, stat.RdevMinor)), "create the node", target);
                metadata.Apply(target, isSymlink: false);
                break;
        }
    }

    private void CopyChildrenOf(string sourceDir, string targetDir, bool keepOwner, Func<string, bool>? include, string relative)
    {
        var names = Directory.GetFileSystemEntries(sourceDir).Select(Path.GetFileName).OfType<string>().ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var childRelative = relative.Length == 0 ? name : relative + "/" + name;
            if (include is not null && !include(childRelative)) continue;
            var child = sourceDir + "/" + name;
            if (Libc.LStat(child) is { } stat)
                CopyEntry(child, targetDir + "/" + name, stat, keepOwner, include, childRelative);
        }
    }

    private EntryMetadata Metadata(in Libc.Statx stat, bool keepOwner)
    {
        var (uid, gid) = _owner ?? (keepOwner ? ((int)stat.Uid, (int)stat.Gid) : (0, 0));
        var mode = stat.FileType == Libc.S_IFLNK ? 0x1FFu : _mode ?? (stat.Mode & 0xFFFu);
        var mtime = DateTimeOffset.FromUnixTimeSeconds(stat.MtimeSeconds).AddTicks(stat.MtimeNanoseconds / 100);
        return new EntryMetadata(mode, uid, gid, mtime, Empty);
    }

    private static void Clear(string target, Libc.Statx? existing)
    {
        if (existing is null) return;
        if (existing.Value.FileType == Libc.S_IFDIR) DirectoryTree.Delete(target);
        else File.Delete(target);
    }

    private static FileStream OpenNoFollow(string path, int flags, int mode)
    {
        var fd = Libc.open(path, flags | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, mode);
        if (fd < 0) throw new IOException($"Cannot open {path}: {Libc.ErrorText(Libc.LastError)}");
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), (flags & Libc.O_WRONLY) != 0 ? FileAccess.Write : FileAccess.Read);
    }
}
