using PSContainer.Engine.Interop;

namespace PSContainer.Engine.FileSystem;

/// <summary>The metadata a file carries besides its content: permission bits, owner, mtime and extended attributes.</summary>
/// <param name="Mode">Permission bits including setuid, setgid and sticky.</param>
/// <param name="Uid">The owner's user id.</param>
/// <param name="Gid">The owner's group id.</param>
/// <param name="ModificationTime">The mtime, also used as the atime.</param>
/// <param name="Xattrs">Extended attributes with raw values, overlay ones already removed.</param>
internal sealed record EntryMetadata(uint Mode, int Uid, int Gid, DateTimeOffset ModificationTime, IReadOnlyDictionary<string, byte[]> Xattrs)
{
    /// <summary>
    /// Applies the metadata to a path without following it. Owner first, since chown clears setuid bits and
    /// file capabilities; mtime last, since setting attributes would not change it but writing would.
    /// </summary>
    public unsafe void Apply(string path, bool isSymlink)
    {
        Libc.Check(Libc.lchown(path, Uid, Gid), "change the owner of", path);
        if (!isSymlink)
            Libc.Check(Libc.chmod(path, Mode), "change the mode of", path);
        foreach (var (name, value) in Xattrs)
            LayerXattrs.SetIfSupported(path, name, value);
        ApplyTime(path);
    }

    /// <summary>Sets only the mtime (and atime) of a path without following it.</summary>
    public unsafe void ApplyTime(string path)
    {
        var ticks = (ModificationTime - DateTimeOffset.UnixEpoch).Ticks;
        var time = new Libc.Timespec
        {
            Seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder) - (remainder < 0 ? 1 : 0),
            Nanoseconds = (remainder < 0 ? remainder + TimeSpan.TicksPerSecond : remainder) * 100,
        };
        var times = stackalloc Libc.Timespec[2] { time, time };
        Libc.Check(Libc.utimensat(Libc.AT_FDCWD, path, times, Libc.AT_SYMLINK_NOFOLLOW), "set the times of", path);
    }
}
