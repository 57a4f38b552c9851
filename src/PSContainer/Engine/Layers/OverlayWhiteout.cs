using System.Text;
using PSContainer.Engine.Interop;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Layers;

/// <summary>
/// The two ways deletions are written: as OCI layer tar names (<c>.wh.</c> files) and as
/// overlayfs metadata (0/0 character devices and the opaque attribute).
/// </summary>
internal static class OverlayWhiteout
{
    /// <summary>The tar name prefix of a whiteout entry.</summary>
    public const string Prefix = ".wh.";

    /// <summary>The tar name that marks its directory opaque.</summary>
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>Names with this prefix are reserved by the OCI spec and carry nothing we use.</summary>
    public const string ReservedPrefix = ".wh..wh.";

    /// <summary>The overlay attribute that hides a directory's lower content.</summary>
    public const string OpaqueXattr = "trusted.overlay.opaque";

    private static readonly byte[] OpaqueValue = Encoding.ASCII.GetBytes("y");

    /// <summary>Whether lstat metadata describes an overlay whiteout.</summary>
    public static bool IsWhiteout(in Libc.Statx stat) =>
        stat.FileType == Libc.S_IFCHR && stat.RdevMajor == 0 && stat.RdevMinor == 0;

    /// <summary>Whether the path is an overlay whiteout (and not a symlink to one).</summary>
    public static bool IsWhiteout(string path) => Libc.LStat(path) is { } stat && IsWhiteout(stat);

    /// <summary>Creates an overlay whiteout at a path that does not exist.</summary>
    public static void Create(string path)
    {
        if (Libc.mknod(path, Libc.S_IFCHR, Libc.MakeDev(0, 0)) != 0)
            throw new IOException($"Cannot create whiteout {path}: {Libc.ErrorText(Libc.LastError)}");
    }

    /// <summary>Marks a directory opaque, so the overlay hides what lower layers have under it.</summary>
    public static void MarkOpaque(string directory) => LayerXattrs.Set(directory, OpaqueXattr, OpaqueValue);

    /// <summary>Whether a directory is marked opaque.</summary>
    public static bool IsOpaque(string directory) =>
        LayerXattrs.Get(directory, OpaqueXattr) is { } value && value.AsSpan().SequenceEqual(OpaqueValue);
}
