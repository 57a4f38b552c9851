using System.Runtime.InteropServices;
using System.Text.Json;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Oci;
using PSContainer.Engine.References;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Archives;

/// <summary>
/// Imports a root filesystem tarball (plain, gzip or zstd) as a one-layer image, like <c>docker import</c>.
/// The tar is unpacked, hashed and stored as a blob in one streaming pass.
/// </summary>
internal sealed class RootfsImporter
{
    private readonly StoreLayout _layout;
    private readonly ContentStore _content;
    private readonly LayerStore _layers;
    private readonly ImageStore _imageStore;
    private readonly ImageService _images;

    public RootfsImporter(StoreLayout layout, ContentStore content, LayerStore layers, ImageStore imageStore, ImageService images)
    {
        _layout = layout;
        _content = content;
        _layers = layers;
        _imageStore = imageStore;
        _images = images;
    }

    /// <summary>
    /// Imports <paramref name="source"/>, <paramref name="sourceLength"/> bytes as stored (which bound how far it may
    /// expand), and tags it with each of <paramref name="tags"/>.
    /// </summary>
    public ImageRecord Import(Stream source, long sourceLength, IReadOnlyList<string> tags, IEnumerable<string> changes, string? message, CancellationToken cancel)
    {
        var runConfig = new OciRunConfig();
        ImageChanges.Apply(runConfig, changes);
        foreach (var tag in tags) References.ImageReference.Parse(tag);

        using var blob = _content.BeginWrite();
        var layer = _layers.Create(null, null, diffDir =>
        {
            using var tar = new HashingReadStream(LayerDecompression.Open(source), blob, LayerDecompression.ExpansionLimit(sourceLength));
            var size = LayerUnpacker.Unpack(tar, diffDir, cancel);
            return (tar.Finish().ToString(), size);
        });
        var blobDigest = blob.Commit();
        _layers.Verified.Record(blobDigest, blob.Written, layer.DiffId);

        var now = DateTimeOffset.UtcNow;
        var config = new OciImageConfig
        {
            Created = now,
            Architecture = PlatformNames.Architecture(RuntimeInformation.OSArchitecture),
            Os = "linux",
            Config = runConfig,
            RootFs = new OciRootFs { DiffIds = [layer.DiffId] },
            History = [new OciHistory { Created = now, CreatedBy = "Import-Image", Comment = message }],
        };
        var configDigest = _content.Put(JsonSerializer.SerializeToUtf8Bytes(config, OciJsonContext.Default.OciImageConfig));
        var record = new ImageRecord
        {
            Id = configDigest.ToString(),
            Stored = now,
            Layers = [new ImageLayer { DiffId = layer.DiffId, Digest = blobDigest.ToString(), MediaType = MediaTypes.OciLayerTar, Size = blob.Written }],
        };
        using var _ = _layout.Lock();
        _imageStore.Put(record);
        foreach (var tag in tags) _images.Tag(record, tag);
        return record;
    }
}
