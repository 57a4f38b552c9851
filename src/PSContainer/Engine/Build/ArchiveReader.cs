using System.IO.Compression;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using SharpCompress.Compressors.ZStandard;

namespace PSContainer.Engine.Build;

/// <summary>What ADD unpacks: a tar, plain or compressed with gzip, bzip2, xz or zstd, known by its bytes.</summary>
internal static class ArchiveReader
{
    private const int TarMagicOffset = 257;

    /// <summary>The uncompressed tar stream of <paramref name="path"/>, or null when the file is not such an archive.</summary>
    public static Stream? OpenIfArchive(string path)
    {
        var head = new byte[TarMagicOffset + 8];
        int length;
        using (var probe = File.OpenRead(path)) length = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var span = head.AsSpan(0, length);
        Func<Stream, Stream>? open =
            span.StartsWith((byte[])[0x1f, 0x8b]) ? s => new GZipStream(s, CompressionMode.Decompress)
            : span.StartsWith("BZh"u8) ? s => BZip2Stream.Create(s, SharpCompress.Compressors.CompressionMode.Decompress, false)
            : span.StartsWith((byte[])[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) ? s => new XZStream(s)
            : span.StartsWith((byte[])[0x28, 0xB5, 0x2F, 0xFD]) ? s => new DecompressionStream(s)
            : null;
        if (open is null)
            return length >= TarMagicOffset + 5 && span[TarMagicOffset..(TarMagicOffset + 5)].SequenceEqual("ustar"u8) ? File.OpenRead(path) : null;
        // A compressed file is an archive only when a tar is inside.
        using (var check = open(File.OpenRead(path)))
        {
            var inner = new byte[TarMagicOffset + 8];
            var read = check.ReadAtLeast(inner, inner.Length, throwOnEndOfStream: false);
            if (read < TarMagicOffset + 5 || !inner.AsSpan(TarMagicOffset, 5).SequenceEqual("ustar"u8)) return null;
        }
        return open(File.OpenRead(path));
    }
}
