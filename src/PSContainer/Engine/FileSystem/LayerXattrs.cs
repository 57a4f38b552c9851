using System.Text;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine.FileSystem;

/// <summary>Extended attributes of layer files, read and written without following symlinks.</summary>
internal static class LayerXattrs
{
    /// <summary>
    /// Whether a layer may carry this attribute. Overlay metadata belongs to the overlay that made it:
    /// a layer forging it could redirect lookups or fake opaque directories.
    /// </summary>
    public static bool IsAllowed(string name) =>
        name.Length > 0 &&
        !name.StartsWith("trusted.overlay.", StringComparison.Ordinal) &&
        !name.StartsWith("user.overlay.", StringComparison.Ordinal);

    /// <summary>All attributes of a path, sorted by name; empty when the file system has none.</summary>
    public static SortedDictionary<string, byte[]> Read(string path)
    {
        var result = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        byte[] list;
        while (true)
        {
            var size = Libc.llistxattr(path, null, 0);
            if (size < 0)
                return IsMissing(Libc.LastError) ? result : throw Failure(path);
            list = new byte[size];
            var got = Libc.llistxattr(path, list, (nuint)list.Length);
            if (got >= 0)
            {
                list = list[..(int)got];
                break;
            }
            // The list can grow between the two calls.
            if (Libc.LastError != Libc.ERANGE)
                throw Failure(path);
        }
        foreach (var name in Encoding.UTF8.GetString(list).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var value = Get(path, name);
            if (value is not null)
                result[name] = value;
        }
        return result;
    }

    /// <summary>One attribute's value, or null when the path does not have it.</summary>
    public static byte[]? Get(string path, string name)
    {
        while (true)
        {
            var size = Libc.lgetxattr(path, name, null, 0);
            if (size < 0)
                return IsMissing(Libc.LastError) ? null : throw Failure(path);
            var value = new byte[size];
            var got = Libc.lgetxattr(path, name, value, (nuint)value.Length);
            if (got >= 0)
                return value[..(int)got];
            var errno = Libc.LastError;
            if (IsMissing(errno))
                return null;
            if (errno != Libc.ERANGE)
                throw Failure(path);
        }
    }

    /// <summary>Sets an attribute on a path itself, never on a symlink's target.</summary>
    public static void Set(string path, string name, byte[] value)
    {
        if (Libc.lsetxattr(path, name, value, (nuint)value.Length, 0) != 0)
            throw new IOException($"Cannot set extended attribute {name} on {path}: {Libc.ErrorText(Libc.LastError)}");
    }

    /// <summary>
    /// Sets an attribute where the file system and our privileges allow it: like containerd, a layer still
    /// unpacks where an attribute namespace is unsupported (ENOTSUP) or forbidden (EPERM, e.g. user.* on symlinks).
    /// </summary>
    public static void SetIfSupported(string path, string name, byte[] value)
    {
        if (Libc.lsetxattr(path, name, value, (nuint)value.Length, 0) == 0)
            return;
        var errno = Libc.LastError;
        if (errno is not (Libc.ENOTSUP or Libc.EPERM))
            throw new IOException($"Cannot set extended attribute {name} on {path}: {Libc.ErrorText(errno)}");
    }

    private static bool IsMissing(int errno) => errno is Libc.ENODATA or Libc.ENOTSUP;

    private static IOException Failure(string path) =>
        new($"Cannot read extended attributes of {path}: {Libc.ErrorText(Libc.LastError)}");
}
