using System.Buffers.Binary;

namespace PSContainer.Api;

/// <summary>
/// The Docker API's stream format for output without a terminal: each chunk behind an 8-byte header (the
/// stream — 0 stdin, 1 stdout, 2 stderr — three zero bytes, the length as big-endian uint32). With a terminal
/// (<c>raw</c>) the bytes go as they are, since a pty merges stdout and stderr anyway.
/// </summary>
internal sealed class MultiplexedStream(Stream output, bool raw)
{
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const string MultiplexedType = "application/vnd.docker.multiplexed-stream";
    public const string RawType = "application/vnd.docker.raw-stream";

    private readonly SemaphoreSlim _gate = new(1, 1);

    public static string ContentType(bool raw) => raw ? RawType : MultiplexedType;

    public async Task WriteAsync(byte stream, ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        if (data.IsEmpty) return;
        await _gate.WaitAsync(cancel);
        try
        {
            if (!raw)
            {
                var header = new byte[8];
                header[0] = stream;
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)data.Length);
                await output.WriteAsync(header, cancel);
            }
            await output.WriteAsync(data, cancel);
            await output.FlushAsync(cancel);
        }
        finally
        {
            _gate.Release();
        }
    }
}
