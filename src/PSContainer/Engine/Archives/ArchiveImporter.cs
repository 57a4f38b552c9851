using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;
using PSContainer.Engine.References;
using PSContainer.Engine.Storage;
using SharpCompress.Common;

namespace PSContainer.Engine.Archives;

/// <summary>
/// Import-Image's engine: loads every image of a docker-archive or an oci-archive, as <c>docker load</c> and
/// <c>podman load</c> do, and hands any other tar to <see cref="RootfsImporter"/>. Each layer streams from the
/// archive into the store once: its blob is checked against the digest the archive promises and its content
/// against the diff id the config gives. Should anything fail, what the import stored goes again.
/// </summary>
internal sealed class ArchiveImporter
{
    private readonly StoreLayout _layout;
    private readonly ContentStore _content;
    private readonly LayerStore _layers;
    private readonly ImageStore _imageStore;
    private readonly ImageService _images;

    public ArchiveImporter(StoreLayout layout, ContentStore content, LayerStore layers, ImageStore imageStore, ImageService images)
    {
        _layout = layout;
        _content = content;
        _layers = layers;
        _imageStore = imageStore;
        _images = images;
    }

    /// <summary>
    /// Imports the tar <paramref name="open"/> returns (plain, gzip or zstd). It is called once per pass over the
    /// archive and must give the same bytes each time. <paramref name="tags"/> name the image: for archives in
    /// addition to the names the archive gives, and only when it holds one image. <paramref name="changes"/> and
    /// <paramref name="message"/> apply to root filesystem tarballs only.
    /// </summary>
    public List<ImportedImage> Import(Func<Stream> open, IReadOnlyList<string> tags, IReadOnlyList<string> changes, string? message,
        Action<string>? verbose, CancellationToken cancel)
    {
        var references = tags.Select(tag => ImageReference.Parse(tag).FullName).ToList();
        var catalog = ArchiveCatalog.Scan(open, cancel);
        if (catalog.Format is not { } format)
        {
            verbose?.Invoke("The tar is not an image archive; importing it as a root filesystem.");
            using var source = open();
            return [new ImportedImage(new RootfsImporter(_layout, _content, _layers, _imageStore, _images).Import(source, catalog.SourceLength, tags, changes, message, cancel), references.FirstOrDefault())];
        }
        var kind = format == ImageArchiveFormat.DockerArchive ? "a docker-archive" : "an oci-archive";
        if (changes.Count > 0 || message is not null)
            throw new EngineException("ChangeNotSupported", EngineErrorKind.InvalidArgument,
                $"-Change and -Message apply to root filesystem tarballs; this is {kind}, whose images keep their own configs.");
        var images = Merge(format == ImageArchiveFormat.DockerArchive ? DockerArchiveReader.Read(catalog) : OciArchiveReader.Read(catalog, verbose));
        if (images.Count == 0)
            throw new EngineException("EmptyArchive", EngineErrorKind.InvalidData, $"The archive ({kind}) holds no images.");
        if (references.Count > 0 && images.Count > 1)
            throw new EngineException("AmbiguousTag", EngineErrorKind.InvalidArgument,
                $"-Tag names one image, but the archive holds {images.Count}; import it without -Tag and tag the images with Add-ImageTag.");
        foreach (var reference in references)
            images[0].AddTag(reference);
        verbose?.Invoke($"Loading {images.Count} image(s) from {kind}.");

        var newLayers = new List<string>();
        var newBlobs = new List<Digest>();
        var leases = new List<Lease>();
        try
        {
            // Until the image records refer to them, leases keep a Remove-Image elsewhere from collecting the layers.
            leases.Add(Lease.Take(_layout, images.SelectMany(i =>
                LayerStore.ChainIdsOf(i.Layers.Select(l => l.DiffId)).Concat(i.Layers.Select(l => l.Digest?.ToString()).OfType<string>()))));
            var layers = StoreLayers(catalog, images, newLayers, newBlobs, leases, verbose, cancel);
            var records = Commit(images, layers, newBlobs);
            foreach (var image in images)
                verbose?.Invoke($"Loaded image {(image.Tags.Count == 0 ? image.Id.ToString() : string.Join(", ", image.Tags.Select(t => ImageReference.Parse(t).FamiliarName)))}.");
            return images.Select((image, i) => new ImportedImage(records[i], references.FirstOrDefault() ?? image.Tags.FirstOrDefault())).ToList();
        }
        catch
        {
            // This import's own lease would keep Discard from removing what it stored.
            Release(leases);
            Discard(newLayers, newBlobs, verbose);
            throw;
        }
        finally
        {
            Release(leases);
        }
    }

    private static void Release(List<Lease> leases)
    {
        foreach (var lease in leases)
            lease.Dispose();
        leases.Clear();
    }

    // An archive can list an image twice (two tags, or gzip and zstd copies of one config): it is one image.
    private static List<ArchivedImage> Merge(List<ArchivedImage> images)
    {
        var merged = new List<ArchivedImage>();
        foreach (var image in images)
        {
            if (merged.FirstOrDefault(m => m.Id == image.Id) is not { } first)
            {
                merged.Add(image);
                continue;
            }
            foreach (var tag in image.Tags)
                first.AddTag(tag);
        }
        return merged;
    }

    // Stores the layers of images not yet in the store, in one pass over the archive; returns them by image id.
    private Dictionary<Digest, ImageLayer[]> StoreLayers(ArchiveCatalog catalog, List<ArchivedImage> images, List<string> newLayers,
        List<Digest> newBlobs, List<Lease> leases, Action<string>? verbose, CancellationToken cancel)
    {
        // The archive's bytes are at hand, so every layer is read and checked against its config's diff id, also
        // where the store has the layer already or the whole image (then only to refuse an archive that lies).
        var result = new Dictionary<Digest, ImageLayer[]>();
        var uses = new Dictionary<string, List<LayerUse>>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var layers = new ImageLayer[image.Layers.Count];
            if (_imageStore.Get(image.Id.ToString()) is not null)
                verbose?.Invoke($"Image {image.Id} is already stored; its layers are only verified.");
            else
                result[image.Id] = layers;
            var chains = LayerStore.ChainIdsOf(image.Layers.Select(l => l.DiffId));
            for (var i = 0; i < layers.Length; i++)
            {
                var layer = image.Layers[i];
                var use = new LayerUse(layers, i, layer, i == 0 ? null : chains[i - 1], chains[i]);
                if (uses.TryGetValue(layer.Member, out var list))
                    list.Add(use);
                else
                    uses[layer.Member] = [use];
            }
        }
        catalog.Visit(uses.Keys.ToHashSet(StringComparer.Ordinal), (member, data) =>
            StoreLayer(catalog.Resolve(member).Size, member, data, uses[member], newLayers, newBlobs, leases, verbose, cancel));
        return result;
    }

    // Streams one layer blob into the content store while unpacking it (or only hashing it, when its layer exists).
    // The layer appears only once its blob has the promised digest, and the blob only once its diff id is right.
    private void StoreLayer(long size, string member, Stream data, List<LayerUse> uses, List<string> newLayers, List<Digest> newBlobs,
        List<Lease> leases, Action<string>? verbose, CancellationToken cancel)
    {
        var diffId = uses[0].Layer.DiffId;
        if (uses.FirstOrDefault(u => u.Layer.DiffId != diffId) is { } other)
            throw new EngineException("DiffIdMismatch", EngineErrorKind.InvalidData,
                $"The archive's configs give '{member}' two diff ids, {diffId} and {other.Layer.DiffId}; it cannot be both.", member);
        var promised = uses.Select(u => u.Layer.Digest).FirstOrDefault(d => d is not null);
        var promisedSize = uses.Select(u => u.Layer.Size).FirstOrDefault(s => s is not null);
        using var blob = _content.BeginWrite();
        LayerCompression compression;
        Digest? verified = null;
        try
        {
            using var raw = new HashingReadStream(data, blob, hash: false);
            using var plain = LayerDecompression.Open(raw, out compression);
            using var tar = new HashingReadStream(plain, limit: LayerDecompression.ExpansionLimit(size));
            string Check()
            {
                var actual = tar.Finish().ToString();
                if (actual != diffId)
                    throw new EngineException("DiffIdMismatch", EngineErrorKind.InvalidData, $"Layer '{member}' has diff id {actual}; the image config says {diffId}.", member);
                // What follows the compressed stream still belongs to the blob and its digest.
                raw.Drain();
                verified = blob.Verify(promised, promisedSize);
                return actual;
            }
            if (uses.FirstOrDefault(u => !_layers.Exists(u.ChainId)) is not { } first || !CreateLayer(first.ParentChainId, diffId, tar, Check, newLayers, cancel))
                Check();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or SharpCompressException)
        {
            throw new EngineException("CorruptLayer", EngineErrorKind.InvalidData, $"Layer '{member}' in the archive cannot be read: {e.Message}", member, e);
        }
        // Check ran, in the layer's fill or after it.
        var digest = verified!.Value;
        if (promised is null)
            leases.Add(Lease.Take(_layout, [digest.ToString()]));
        if (!_content.Exists(digest))
            newBlobs.Add(digest);
        blob.Commit(digest);
        _layers.Verified.Record(digest, blob.Written, diffId);
        foreach (var use in uses)
        {
            if (use.Layer.Digest is { } want && want != digest)
                throw new EngineException("DigestMismatch", EngineErrorKind.InvalidData, $"Layer '{member}' has digest {digest}; the archive promises {want}.", member);
            if (use.Layer.Size is { } length && length != blob.Written)
                throw new EngineException("SizeMismatch", EngineErrorKind.InvalidData, $"Layer '{member}' has {blob.Written} bytes; its descriptor says {length}.", member);
            use.Target[use.Index] = new ImageLayer
            {
                DiffId = diffId,
                Digest = digest.ToString(),
                MediaType = use.Layer.MediaType ?? ArchiveMediaTypes.OciLayer(compression),
                Size = blob.Written,
            };
        }
        // The same layer on another parent is another overlay layer; the blob is stored now, so unpack from it.
        foreach (var use in uses.Where(u => !_layers.Exists(u.ChainId)))
        {
            using var stored = new HashingReadStream(LayerDecompression.Open(_content.OpenRead(digest)));
            CreateLayer(use.ParentChainId, diffId, stored, () => stored.Finish().ToString(), newLayers, cancel);
        }
        verbose?.Invoke($"Stored layer {diffId} ({blob.Written} bytes).");
    }

    // Unpacks into a new layer, which appears only when <paramref name="check"/> (which returns the diff id) passes.
    // False when another import created the layer first and nothing was read.
    private bool CreateLayer(string? parentChainId, string diffId, HashingReadStream tar, Func<string> check, List<string> newLayers, CancellationToken cancel)
    {
        var unpacked = false;
        var record = _layers.Create(parentChainId, diffId, dir =>
        {
            var size = LayerUnpacker.Unpack(tar, dir, cancel);
            unpacked = true;
            return (check(), size);
        });
        if (unpacked)
            newLayers.Add(record.ChainId);
        return unpacked;
    }

    // Writes configs, manifests, records and tags under the lock; returns the records in the order of images.
    private List<ImageRecord> Commit(List<ArchivedImage> images, Dictionary<Digest, ImageLayer[]> layers, List<Digest> newBlobs)
    {
        using var _ = _layout.Lock();
        foreach (var image in images)
            if (!layers.ContainsKey(image.Id) && _imageStore.Get(image.Id.ToString()) is null)
                throw new EngineException("ImportInterrupted", EngineErrorKind.InvalidState,
                    $"Image {image.Id} was removed in another session while the archive was imported; import it again.", image.Id.ToString());
        var now = DateTimeOffset.UtcNow;
        var records = new List<ImageRecord>();
        foreach (var image in images)
        {
            if (!layers.TryGetValue(image.Id, out var imageLayers))
            {
                records.Add(_imageStore.Get(image.Id.ToString())!);
                continue;
            }
            foreach (var document in new[] { image.Config, image.Manifest })
            {
                if (document is null || _content.Exists(Digest.Of(document)))
                    continue;
                newBlobs.Add(_content.Put(document));
            }
            var record = new ImageRecord
            {
                Id = image.Id.ToString(),
                ManifestDigest = image.Manifest is null ? null : Digest.Of(image.Manifest).ToString(),
                Stored = now,
                Layers = imageLayers.ToList(),
            };
            _imageStore.Put(record);
            records.Add(record);
        }
        foreach (var image in images)
            foreach (var tag in image.Tags)
                _imageStore.Tag(tag, image.Id.ToString());
        return records;
    }

    // Removing what a failed import stored must not hide why it failed.
    private void Discard(List<string> newLayers, List<Digest> newBlobs, Action<string>? verbose)
    {
        if (newLayers.Count == 0 && newBlobs.Count == 0)
            return;
        try
        {
            using var _ = _layout.Lock();
            _images.Discard(newLayers, newBlobs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EngineException)
        {
            verbose?.Invoke($"Could not remove what the failed import stored ({e.Message}); it stays until images are next removed.");
        }
    }

    /// <summary>One place a layer blob of the archive is used: layer <see cref="Index"/> of an image.</summary>
    private sealed record LayerUse(ImageLayer[] Target, int Index, ArchivedLayer Layer, string? ParentChainId, string ChainId);
}
