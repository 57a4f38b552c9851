using System.IO.Compression;
using SharpCompress.Compressors.ZStandard;

namespace PSContainer.Engine.Layers;

/// <summary>Turns a layer blob into its uncompressed tar stream, whatever the media type claims.</summary>
internal static class LayerDecompression
{
    /// <summary>The bytes <see cref="Sniff"/> needs to decide.</summary>
    public const int MagicLength = 4;

    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    /// <summary>
    /// The most bytes a layer of <paramref name="compressedSize"/> bytes may expand to: generous for text, fatal for
    /// a decompression bomb. Pulls, image archives and root filesystem tarballs all unpack under this one limit.
    /// </summary>
    public static long ExpansionLimit(long compressedSize) => Math.Max(1L << 30, compressedSize * 200);

    /// <summary>The compression the first bytes of a blob announce.</summary>
    public static LayerCompression Sniff(ReadOnlySpan<byte> head) =>
        head.StartsWith(GzipMagic) ? LayerCompression.Gzip
        : head.StartsWith(ZstdMagic) ? LayerCompression.Zstd
        : LayerCompression.None;

    /// <summary>
    /// Sniffs gzip or zstd magic and returns a streaming decompressor, or the bytes unchanged for a plain tar.
    /// The input need not be seekable; the returned stream owns it.
    /// </summary>
    public static Stream Open(Stream compressedOrPlain) => Open(compressedOrPlain, out _);

    /// <summary>As <see cref="Open(Stream)"/>, also saying which compression it found.</summary>
    public static Stream Open(Stream compressedOrPlain, out LayerCompression compression)
    {
        // Registries mislabel media types often enough that the bytes, not the manifest, decide.
        var head = new byte[MagicLength];
        var length = compressedOrPlain.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var prefixed = new PrefixedStream(head[..length], compressedOrPlain);
        compression = Sniff(head.AsSpan(0, length));
        return compression switch
        {
            LayerCompression.Gzip => new GZipStream(prefixed, CompressionMode.Decompress, leaveOpen: false),
            LayerCompression.Zstd => new DecompressionStream(prefixed, leaveOpen: false),
            _ => prefixed,
        };
    }
}
