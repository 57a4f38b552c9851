using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Connects this process's terminal to a -Tty container through conmon: its attach socket (SOCK_SEQPACKET,
/// in the bundle directory) carries typed bytes to the container's pty and the pty's output back, each
/// message prefixed by one byte naming the stream (2 stdout, 3 stderr); its <c>ctl</c> fifo takes window
/// sizes as <c>1 &lt;rows&gt; &lt;columns&gt;</c> lines.
/// </summary>
internal sealed class ConsoleAttachment : IDisposable
{
    // conmon's CONN_SOCK_BUF_SIZE; a message never exceeds it.
    private const int MessageSize = 32768;
    private const byte StdoutFrame = 2;
    private const byte StderrFrame = 3;
    private const int ResizeEvent = 1;
    private const int InputPollMs = 100;

    private readonly Socket _socket;
    private readonly string _controlFifo;

    private ConsoleAttachment(Socket socket, string controlFifo)
    {
        _socket = socket;
        _controlFifo = controlFifo;
    }

    /// <summary>
    /// Starts a container (or joins it when it runs already) with the terminal attached, connecting before
    /// the runtime starts its process so not a byte of its output is missed. Returns the started container
    /// and whether the user detached (else the container's output ended: it exited).
    /// <paramref name="detachKeys"/> is in Docker's notation (<see cref="DetachKeys.Default"/>).
    /// </summary>
    public static (ContainerRecord Started, bool Detached) StartAttached(ContainerManager containers, string id, string detachKeys, CancellationToken cancel)
    {
        var keys = new DetachKeys(detachKeys);
        ConsoleAttachment? console = null;
        try
        {
            var started = containers.Start(id, paths =>
            {
                console = Connect(paths.Dir);
                console.ResizeToTerminal();
            });
            if (console is null)
            {
                // It was running already: join it as it is.
                console = Connect(containers.Store.PathsOf(started.Id).Dir);
                console.ResizeToTerminal();
            }
            return (started, console.Run(keys, cancel));
        }
        finally
        {
            console?.Dispose();
        }
    }

    /// <summary>Connects to the attach socket of the container whose bundle is <paramref name="bundleDir"/>.</summary>
    public static ConsoleAttachment Connect(string bundleDir)
    {
        // The socket's path can be longer than sun_path's 108 bytes; reach it through a descriptor of its
        // directory, as conmon does when it binds it.
        var dirFd = Libc.open(bundleDir, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (dirFd < 0)
            throw new EngineException("AttachFailed", EngineErrorKind.ExternalFailure, $"Cannot open {bundleDir}: {Libc.ErrorText(Libc.LastError)}", bundleDir);
        var socket = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint($"/proc/self/fd/{dirFd}/attach"));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new EngineException("AttachFailed", EngineErrorKind.ExternalFailure, $"Cannot connect to the container's attach socket in {bundleDir}: {ex.Message}", bundleDir, ex);
        }
        finally
        {
            Libc.close(dirFd);
        }
        return new ConsoleAttachment(socket, Path.Combine(bundleDir, "ctl"));
    }

    /// <summary>Sets the container's pty to the size of this process's terminal, if it has one.</summary>
    public void ResizeToTerminal()
    {
        if (Terminal.Size(Terminal.StdOut) is { } size) Resize(size.Rows, size.Columns);
    }

    /// <summary>Sets the pty's size, as a remote client's window asks.</summary>
    public void Resize(int rows, int columns) => Resize(_controlFifo, rows, columns);

    /// <summary>Sets the pty size of the session whose bundle (or exec session) directory is <paramref name="bundleDir"/>.</summary>
    public static void ResizeIn(string bundleDir, int rows, int columns) => Resize(Path.Combine(bundleDir, "ctl"), rows, columns);

    private static void Resize(string controlFifo, int rows, int columns)
    {
        if (!File.Exists(controlFifo)) return;
        try
        {
            using var fifo = new FileStream(controlFifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            fifo.Write(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{ResizeEvent} {rows} {columns}\n")));
        }
        catch (IOException)
        {
            // conmon is gone, so is the container: nothing to resize.
        }
    }

    /// <summary>
    /// Relays between a remote client and the container (the Docker API's attach): bytes read from
    /// <paramref name="input"/> go to the container's stdin, and its output goes to <paramref name="output"/> with
    /// the stream it came from (true for stderr). When the input ends the container's stdin is closed (conmon
    /// closes it unless it keeps stdin open); the relay ends when conmon closes the socket, as the process exits.
    /// </summary>
    public async Task RelayAsync(Stream? input, Func<bool, ReadOnlyMemory<byte>, CancellationToken, Task> output, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var feeding = input is null ? Task.CompletedTask : Task.Run(async () =>
        {
            var buffer = new byte[MessageSize];
            try
            {
                int n;
                while ((n = await input.ReadAsync(buffer, stop.Token).ConfigureAwait(false)) > 0)
                    await _socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, stop.Token).ConfigureAwait(false);
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or OperationCanceledException)
            {
                // The container or the client went away.
            }
        }, CancellationToken.None);
        try
        {
            var message = new byte[MessageSize + 1];
            while (true)
            {
                int n;
                try { n = await _socket.ReceiveAsync(message, SocketFlags.None, stop.Token).ConfigureAwait(false); }
                catch (SocketException) { break; }
                if (n <= 0) break;
                if (message[0] is StdoutFrame or StderrFrame && n > 1)
                    await output(message[0] == StderrFrame, message.AsMemory(1, n - 1), stop.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            stop.Cancel();
            await feeding.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the terminal in raw mode and relays until the container's output ends or the user types
    /// <paramref name="keys"/>; returns true when the user detached. Ctrl+C travels to the container as a
    /// keystroke; the terminal's settings are restored on every way out.
    /// </summary>
    public bool Run(DetachKeys keys, CancellationToken cancel)
    {
        using var stdout = Console.OpenStandardOutput();
#pragma warning disable CA1416 // SIGWINCH exists wherever PSContainer runs: Linux.
        using var resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => ResizeToTerminal());
#pragma warning restore CA1416
        var saved = Terminal.MakeRaw(Terminal.StdIn);
        var detached = false;
        var stopping = false;
        var input = new Thread(() =>
        {
            var buffer = new byte[4096];
            try
            {
                while (!Volatile.Read(ref stopping))
                {
                    var n = Terminal.Read(Terminal.StdIn, buffer, InputPollMs);
                    if (n < 0) continue;
                    if (n == 0) break;
                    var (forward, detach) = keys.Feed(buffer.AsSpan(0, n));
                    if (forward.Length > 0) _socket.Send(forward);
                    if (detach)
                    {
                        Volatile.Write(ref detached, true);
                        HangUp();
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
            {
                // The container went away while a keystroke was on its way.
            }
        }) { IsBackground = true, Name = "container stdin" };
        try
        {
            input.Start();
            using var stop = cancel.Register(HangUp);
            var buffer = new byte[MessageSize + 1];
            while (true)
            {
                int n;
                try { n = _socket.Receive(buffer); }
                catch (SocketException) { break; }
                if (n <= 0) break;
                if (buffer[0] is StdoutFrame or StderrFrame && n > 1)
                {
                    stdout.Write(buffer, 1, n - 1);
                    stdout.Flush();
                }
            }
        }
        finally
        {
            Volatile.Write(ref stopping, true);
            if (input.IsAlive) input.Join();
            Terminal.Restore(Terminal.StdIn, saved);
            // The container's last line may not end in a newline; start the prompt on a fresh line.
            stdout.Write("\r\n"u8);
        }
        cancel.ThrowIfCancellationRequested();
        return Volatile.Read(ref detached);
    }

    /// <summary>
    /// Copies <paramref name="input"/> to the container's stdin, then ends it: a container created with
    /// StdinOnce then reads EOF. Output frames that arrive until disposal are dropped (the log has them),
    /// so conmon never blocks on this connection.
    /// </summary>
    public void Feed(Stream input)
    {
        var drain = new Thread(() =>
        {
            var frame = new byte[MessageSize + 1];
            try { while (_socket.Receive(frame) > 0) { } }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        }) { IsBackground = true, Name = "container output drain" };
        drain.Start();
        // Each message must fit conmon's read buffer: a seqpacket longer than the read is cut off.
        var buffer = new byte[MessageSize / 4];
        try
        {
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0) _socket.Send(buffer.AsSpan(0, n));
        }
        catch (SocketException)
        {
            // The container exited or closed its stdin before reading everything.
        }
        // End of input: conmon reads EOF and closes the container's stdin. The connection stays open for
        // reading until disposed, as a full hang-up could end it before conmon has seen the EOF.
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { /* conmon hung up first */ }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    // Ends the relay: the blocked receive returns. With --leave-stdin-open conmon keeps the container's
    // stdin open for the next attach.
    private void HangUp()
    {
        try { _socket.Shutdown(SocketShutdown.Both); }
        catch (SocketException) { /* conmon hung up first */ }
    }
}
