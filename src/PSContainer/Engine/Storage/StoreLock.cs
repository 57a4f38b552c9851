using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Storage;

/// <summary>
/// An exclusive lock on the store: a flock between processes, re-entrant within the thread that holds it.
/// Every mutation holds it, so several pwsh sessions can work on one store at once; the kernel drops
/// the flock when its holder dies, so a killed session never wedges the store.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private static readonly Dictionary<string, Holder> Holders = new(StringComparer.Ordinal);

    private readonly Holder _holder;
    private bool _disposed;

    private StoreLock(Holder holder) => _holder = holder;

    /// <summary>Blocks until the lock on <paramref name="lockFile"/> is held by this thread.</summary>
    public static StoreLock Acquire(string lockFile)
    {
        Holder holder;
        lock (Holders)
        {
            if (!Holders.TryGetValue(lockFile, out holder!))
                Holders[lockFile] = holder = new Holder();
        }
        Monitor.Enter(holder);
        try
        {
            if (holder.Depth++ == 0)
                holder.Fd = LockFile(lockFile);
        }
        catch
        {
            holder.Depth--;
            Monitor.Exit(holder);
            throw;
        }
        return new StoreLock(holder);
    }

    /// <summary>Releases this hold; the flock goes when the outermost hold is released.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (--_holder.Depth == 0)
        {
            Libc.close(_holder.Fd);
            _holder.Fd = -1;
        }
        Monitor.Exit(_holder);
    }

    private static int LockFile(string lockFile)
    {
        var fd = Libc.open(lockFile, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0x180);
        if (fd < 0)
            throw new IOException($"Cannot open lock file {lockFile}: {Libc.ErrorText(Libc.LastError)}");
        while (Libc.flock(fd, Libc.LOCK_EX) != 0)
        {
            if (Libc.LastError == Libc.EINTR) continue;
            var err = Libc.LastError;
            Libc.close(fd);
            throw new IOException($"Cannot lock {lockFile}: {Libc.ErrorText(err)}");
        }
        return fd;
    }

    private sealed class Holder
    {
        public int Depth;
        public int Fd = -1;
    }
}
