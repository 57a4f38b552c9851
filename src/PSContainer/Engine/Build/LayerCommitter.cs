using System.IO.Compression;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// Turns the upper directory of a step's overlay into a stored layer: the directory itself becomes the
/// layer's diff (it already is one: overlay whiteouts, opaque directories, modes, owners, xattrs), and one
/// pass packs it as a tar, hashes the tar (diff id) and stores it gzip-compressed as a blob.
/// </summary>
internal static class LayerCommitter
{
    /// <summary>Stores <paramref name="upperDir"/> (moved, not copied) as a layer on top of <paramref name="parentChainId"/>.</summary>
    public static ImageLayer Commit(ContentStore content, LayerStore layers, string upperDir, string? parentChainId)
    {
        using var blob = content.BeginWrite();
        var layer = layers.Create(parentChainId, null, diffDir =>
        {
            Directory.Delete(diffDir);
            Directory.Move(upperDir, diffDir);
            Digest diffId;
            using (var gzip = new GZipStream(blob, CompressionLevel.Fastest, leaveOpen: true))
            using (var tar = new HashingWriteStream(gzip))
            {
                LayerPacker.Pack(diffDir, tar);
                diffId = tar.Finish();
            }
            return (diffId.ToString(), ContentSize(diffDir));
        });
        var size = blob.Written;
        var digest = blob.Commit();
        // The blob was made here from the tar whose digest is the diff id: verified by construction.
        layers.Verified.Record(digest, size, layer.DiffId);
        return new ImageLayer { DiffId = layer.DiffId, Digest = digest.ToString(), MediaType = MediaTypes.OciLayerGzip, Size = size };
    }

    private static long ContentSize(string dir)
    {
        long total = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            switch (Libc.LStat(entry))
            {
                case { FileType: Libc.S_IFREG } stat: total += (long)stat.Size; break;
                case { FileType: Libc.S_IFDIR }: total += ContentSize(entry); break;
            }
        }
        return total;
    }
}
