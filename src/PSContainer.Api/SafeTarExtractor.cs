using System.Formats.Tar;

namespace PSContainer.Api;

/// <summary>
/// Unpacks a <c>docker cp</c> upload into a private directory. As with dockerd, names are relative to the
/// destination even when they start with "/" (Testcontainers sends absolute names); a name or hard link that
/// climbs out of it with ".." is refused, and so is an entry that would be written through a symlink the
/// archive made. Devices are refused: a copy brings files, directories and links.
/// </summary>
internal static class SafeTarExtractor
{
    public static async Task ExtractAsync(Stream tar, string directory, CancellationToken cancel)
    {
        var root = Path.GetFullPath(directory).TrimEnd('/') + "/";
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancel) is { } entry)
        {
            var target = Inside(root, entry.Name);
            if (target is null) continue;
            RefuseLinkedParents(root, target);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    File.SetUnixFileMode(target, (UnixFileMode)((int)entry.Mode & 0xFFF));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    Replace(target);
                    await using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                        if (entry.DataStream is { } data) await data.CopyToAsync(file, cancel);
                    File.SetUnixFileMode(target, (UnixFileMode)((int)entry.Mode & 0xFFF));
                    File.SetLastWriteTimeUtc(target, entry.ModificationTime.UtcDateTime);
                    break;
                case TarEntryType.SymbolicLink:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    Replace(target);
                    // The target is kept as written: the engine's copy resolves it inside the container.
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    var source = Inside(root, entry.LinkName) ?? throw ApiException.BadRequest($"hard link {entry.Name} points outside the archive");
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    Replace(target);
                    File.Copy(source, target);
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                    break;
                default:
                    throw ApiException.BadRequest($"{entry.Name}: {entry.EntryType} entries cannot be copied into a container");
            }
        }
    }

    // The entry's place under root, or null for the root itself; a name that leaves root is refused.
    private static string? Inside(string root, string name)
    {
        var relative = name.Replace('\\', '/').TrimStart('/');
        if (relative.Length == 0 || relative is "." or "./") return null;
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (full.TrimEnd('/') + "/" == root) return null;
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw ApiException.BadRequest($"archive entry '{name}' would be written outside the destination");
        return full.TrimEnd('/');
    }

    private static void RefuseLinkedParents(string root, string target)
    {
        for (var dir = Path.GetDirectoryName(target); dir is not null && dir.Length >= root.Length; dir = Path.GetDirectoryName(dir))
            if (new FileInfo(dir).LinkTarget is not null)
                throw ApiException.BadRequest($"archive entry '{target[root.Length..]}' would be written through a symbolic link");
    }

    private static void Replace(string path)
    {
        if (Directory.Exists(path) && new FileInfo(path).LinkTarget is null) Directory.Delete(path, recursive: true);
        else File.Delete(path);
    }
}
