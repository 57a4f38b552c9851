using System.Security.Cryptography;
using PSContainer.Engine.Interop;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Tests.Layers;

/// <summary>A comparable description of everything under a directory (not the directory itself).</summary>
internal static class TreeSnapshot
{
    public static List<string> Of(string root)
    {
        var lines = new List<string>();
        var firstPathOfInode = new Dictionary<ulong, string>();
        var paths = Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(root, p))
            .Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.Combine(root, path);
            var stat = Libc.LStat(full)!.Value;
            var line = $"{path} type={stat.FileType:x} mode={Convert.ToString(stat.Mode & 0xFFF, 8)} owner={stat.Uid}:{stat.Gid} mtime={stat.MtimeSeconds}";
            if (stat.FileType == Libc.S_IFLNK)
                line += $" -> {new FileInfo(full).LinkTarget}";
            if (stat.FileType is Libc.S_IFCHR or Libc.S_IFBLK)
                line += $" dev={stat.RdevMajor}:{stat.RdevMinor}";
            if (stat.FileType == Libc.S_IFREG)
            {
                line += $" sha256={Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full)))}";
                if (!firstPathOfInode.TryAdd(stat.Ino, path))
                    line += $" linked-to={firstPathOfInode[stat.Ino]}";
            }
            foreach (var (name, value) in LayerXattrs.Read(full))
                line += $" {name}={Convert.ToHexString(value)}";
            lines.Add(line);
        }
        return lines;
    }
}
