using PSContainer.Engine.Interop;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Runtime;

/// <summary>The host's device nodes, which a privileged container gets as Docker gives them.</summary>
internal static class HostDevices
{
    // As Docker: the mounts the runtime makes itself, and tooling directories, are not walked; the console
    // is the container's own.
    private static readonly HashSet<string> SkippedDirectories = ["pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev"];

    /// <summary>Every character and block device under <paramref name="root"/> (symlinks are not followed).</summary>
    public static List<OciDevice> List(string root = "/dev")
    {
        var devices = new List<OciDevice>();
        Walk(root, root, devices);
        return devices;
    }

    private static void Walk(string root, string directory, List<OciDevice> devices)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var path in entries)
        {
            var name = Path.GetFileName(path);
            if (Libc.LStat(path) is not { } stat) continue;
            if (stat.FileType == Libc.S_IFDIR)
            {
                if (!SkippedDirectories.Contains(name)) Walk(root, path, devices);
                continue;
            }
            if (path == Path.Combine(root, "console")) continue;
            var type = stat.FileType switch { Libc.S_IFCHR => "c", Libc.S_IFBLK => "b", _ => null };
            if (type is null) continue;
            devices.Add(new OciDevice
            {
                Path = "/dev/" + Path.GetRelativePath(root, path),
                Type = type,
                Major = stat.RdevMajor,
                Minor = stat.RdevMinor,
                FileMode = (uint)stat.Mode & 0xFFF,
                Uid = stat.Uid,
                Gid = stat.Gid,
            });
        }
    }
}
