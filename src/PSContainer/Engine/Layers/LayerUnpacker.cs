using System.Formats.Tar;
using SharpCompress.Common;

namespace PSContainer.Engine.Layers;

/// <summary>Applies OCI layer tars to empty directories that become overlayfs layers.</summary>
internal static class LayerUnpacker
{
    /// <summary>
    /// Unpacks one uncompressed layer tar into <paramref name="diffDir"/>, turning OCI whiteouts into overlay
    /// whiteouts and opaque attributes. Nothing outside the directory is touched, whatever the tar holds.
    /// The stream is read to its end, so a hashing wrapper sees every byte; it is not disposed.
    /// Returns the total size of the regular files written.
    /// </summary>
    public static long Unpack(Stream uncompressedTar, string diffDir, CancellationToken cancellationToken)
    {
        var writer = new LayerDiffWriter(diffDir);
        long total = 0;
        try
        {
            using var tap = new PaxHeaderTap(uncompressedTar);
            using (var reader = new TarReader(tap, leaveOpen: true))
            {
                while (reader.GetNextEntry(copyData: false) is { } entry)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    total += writer.Apply(entry, tap.Current, cancellationToken);
                }
            }
            tap.CopyTo(Stream.Null);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or OverflowException or SharpCompressException)
        {
            throw new EngineException("CorruptLayer", EngineErrorKind.InvalidData, $"The layer is not a valid tar stream: {e.Message}", diffDir, e);
        }
        writer.Finish();
        return total;
    }
}
