using System.IO.Compression;
using SharpCompress.Compressors.ZStandard;

namespace PSContainer.Engine.Layers;

/// <summary>Turns a layer blob into its uncompressed tar stream, whatever the media type claims.</summary>
internal static class LayerDecompression
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    /// <summary>
    /// Sniffs gzip or zstd magic and returns a streaming decompressor, or the bytes unchanged for a plain tar.
    /// The input need not be seekable; the returned stream owns it.
    /// </summary>
    public static Stream Open(Stream compressedOrPlain)
    {
        // Registries mislabel media types often enough that the bytes, not the manifest, decide.
        var head = new byte[ZstdMagic.Length];
        var length = compressedOrPlain.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var prefixed = new PrefixedStream(head[..length], compressedOrPlain);
        var magic = head.AsSpan(0, length);
        if (magic.StartsWith(GzipMagic))
            return new GZipStream(prefixed, CompressionMode.Decompress, leaveOpen: false);
        if (magic.StartsWith(ZstdMagic))
            return new DecompressionStream(prefixed, leaveOpen: false);
        return prefixed;
    }
}
