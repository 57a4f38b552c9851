using System.Runtime.InteropServices;

namespace PSContainer.Engine.Interop;

/// <summary>
/// The controlling terminal as interactive commands need it: whether stdin is one, its size, saving and
/// restoring its settings, raw mode, and waiting for input without blocking forever.
/// </summary>
internal static partial class Terminal
{
    /// <summary>The file descriptor of standard input.</summary>
    public const int StdIn = 0;

    /// <summary>The file descriptor of standard output.</summary>
    public const int StdOut = 1;

    private const int TCSANOW = 0;
    private const ulong TIOCGWINSZ = 0x5413;
    private const short POLLIN = 1;
    private const int EAGAIN = 11;

    /// <summary>struct termios, kept opaque: glibc's is 60 bytes, and only libc reads or changes it.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Settings
    {
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcgetattr(int fd, out Settings settings);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcsetattr(int fd, int action, in Settings settings);

    [LibraryImport("libc")]
    private static partial void cfmakeraw(ref Settings settings);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, ulong request, out WinSize size);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nuint count);

    /// <summary>Whether <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    /// <summary>The current settings of the terminal on <paramref name="fd"/>, or null when it is not one.</summary>
    public static Settings? Save(int fd) => tcgetattr(fd, out var settings) == 0 ? settings : null;

    /// <summary>Puts back settings from <see cref="Save"/>; best effort, as it runs on the way out.</summary>
    public static void Restore(int fd, Settings? settings)
    {
        if (settings is { } s) tcsetattr(fd, TCSANOW, in s);
    }

    /// <summary>
    /// Switches the terminal to raw mode (no echo, no line editing, no signals from Ctrl+C) and returns the
    /// settings to restore, or null when <paramref name="fd"/> is not a terminal.
    /// </summary>
    public static Settings? MakeRaw(int fd)
    {
        var saved = Save(fd);
        if (saved is not { } raw) return null;
        cfmakeraw(ref raw);
        if (tcsetattr(fd, TCSANOW, in raw) != 0)
            throw new IOException("Cannot set the terminal to raw mode: " + Libc.ErrorText(Libc.LastError));
        return saved;
    }

    /// <summary>The terminal's rows and columns, or null when <paramref name="fd"/> is not a terminal.</summary>
    public static (int Rows, int Columns)? Size(int fd) =>
        ioctl(fd, TIOCGWINSZ, out var size) == 0 && size.Rows > 0 ? (size.Rows, size.Columns) : null;

    /// <summary>
    /// Reads what is available on <paramref name="fd"/>, waiting at most <paramref name="timeoutMs"/>:
    /// returns the byte count, 0 on end of input, or -1 when nothing arrived in time. Waiting in slices
    /// lets a reader thread notice it should stop instead of stealing the next keystroke from the shell.
    /// </summary>
    public static unsafe int Read(int fd, Span<byte> buffer, int timeoutMs)
    {
        var pollFd = new PollFd { Fd = fd, Events = POLLIN };
        var ready = poll(&pollFd, 1, timeoutMs);
        if (ready == 0 || (ready < 0 && Libc.LastError == Libc.EINTR)) return -1;
        if (ready < 0) throw new IOException("poll failed: " + Libc.ErrorText(Libc.LastError));
        fixed (byte* p = buffer)
        {
            var n = read(fd, p, (nuint)buffer.Length);
            if (n < 0 && Libc.LastError is Libc.EINTR or EAGAIN) return -1;
            if (n < 0) throw new IOException("read failed: " + Libc.ErrorText(Libc.LastError));
            return (int)n;
        }
    }
}
