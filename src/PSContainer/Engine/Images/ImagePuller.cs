using System.Text.Json;
using PSContainer.Engine.Content;
using PSContainer.Engine.Layers;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Images;

/// <summary>
/// Pulls an image from a registry into the store. Layers download in parallel, and each is decompressed,
/// hashed twice (blob digest and diff id), unpacked and stored in the same pass as it streams in; no full
/// temporary copy is made. A present layer is not fetched again when the store has verified that very blob to
/// give it (<see cref="VerifiedBlobs"/>). Everything is verified before it becomes visible, so a failed or
/// interrupted pull leaves nothing half-stored.
/// </summary>
internal sealed class ImagePuller
{
    private const int ConfigSizeLimit = 8 * 1024 * 1024;
    private const int ParallelLayers = 3;

    /// <summary>The largest layer blob a manifest may announce; real layers stay far below, a lie of exabytes does not.</summary>
    internal const long LayerSizeLimit = 1L << 40;

    private readonly StoreLayout _layout;
    private readonly ContentStore _content;
    private readonly LayerStore _layers;
    private readonly ImageStore _imageStore;

    public ImagePuller(StoreLayout layout, ContentStore content, LayerStore layers, ImageStore imageStore)
    {
        _layout = layout;
        _content = content;
        _layers = layers;
        _imageStore = imageStore;
    }

    /// <summary>Pulls <paramref name="reference"/> and tags it; returns the stored image.</summary>
    public async Task<ImageRecord> PullAsync(ImageReference reference, RegistryClientOptions options, Platform? platform, Action<PullProgress> progress, CancellationToken cancel)
    {
        using var client = new RegistryClient(reference.Registry, options);
        var manifestResponse = await client.GetManifestAsync(reference.Repository, reference.ManifestReference, cancel).ConfigureAwait(false);
        if (manifestResponse.IsIndex)
        {
            var entry = PlatformSelector.Select(manifestResponse.ParseIndex(), platform);
            manifestResponse = await client.GetManifestAsync(reference.Repository, entry.Digest.ToString(), cancel).ConfigureAwait(false);
            if (manifestResponse.IsIndex)
                throw new EngineException("UnsupportedMediaType", EngineErrorKind.InvalidData, $"{reference.FamiliarName}: an index points at another index.", reference.FullName);
        }
        var manifest = manifestResponse.ParseManifest();
        CheckLayerDescriptors(reference, manifest);

        if (manifest.Config.Size is < 0 or > ConfigSizeLimit)
            throw new EngineException("ConfigTooLarge", EngineErrorKind.InvalidData, $"The image config of {reference.FamiliarName} is {manifest.Config.Size} bytes; the limit is {ConfigSizeLimit}.", reference.FullName);
        var configBytes = await ReadSmallBlobAsync(client, reference.Repository, manifest.Config, cancel).ConfigureAwait(false);
        var config = JsonSerializer.Deserialize(configBytes, OciJsonContext.Default.OciImageConfig)
            ?? throw new EngineException("InvalidImageConfig", EngineErrorKind.InvalidData, $"The image config of {reference.FamiliarName} is empty.", reference.FullName);
        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
            throw new EngineException("InvalidImageConfig", EngineErrorKind.InvalidData,
                $"{reference.FamiliarName}: the manifest lists {manifest.Layers.Count} layers but the config {config.RootFs.DiffIds.Count}.", reference.FullName);
        foreach (var diffId in config.RootFs.DiffIds) Digest.Parse(diffId);

        var chainIds = LayerStore.ChainIdsOf(config.RootFs.DiffIds);
        using var lease = Lease.Take(_layout, chainIds.Concat(manifest.Layers.Select(l => l.Digest.ToString())));
        using var throttle = new SemaphoreSlim(ParallelLayers);
        var tasks = manifest.Layers.Select((layer, index) => Task.Run(async () =>
        {
            await throttle.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                await PullLayerAsync(client, reference, layer, index, manifest.Layers.Count,
                    index == 0 ? null : chainIds[index - 1], config.RootFs.DiffIds[index], progress, cancel).ConfigureAwait(false);
            }
            finally
            {
                throttle.Release();
            }
        }, cancel)).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);

        _content.Put(configBytes, manifest.Config.Digest);
        _content.Put(manifestResponse.Content, manifestResponse.Digest);
        var record = new ImageRecord
        {
            Id = manifest.Config.Digest.ToString(),
            ManifestDigest = manifestResponse.Digest.ToString(),
            Stored = DateTimeOffset.UtcNow,
            Layers = manifest.Layers.Select((l, i) => new ImageLayer
            {
                DiffId = config.RootFs.DiffIds[i],
                Digest = l.Digest.ToString(),
                MediaType = l.MediaType,
                Size = l.Size,
            }).ToList(),
        };
        using var _ = _layout.Lock();
        var existing = _imageStore.Get(record.Id);
        var repoDigest = reference.Name + "@" + manifestResponse.Digest;
        record.RepoDigests = (existing?.RepoDigests ?? []).Append(repoDigest).Distinct(StringComparer.Ordinal).ToList();
        _imageStore.Put(record);
        if (reference.Tag is not null)
            _imageStore.Tag(reference.FullName, record.Id);
        return record;
    }

    // Before anything is fetched: every layer of a type the engine applies, and of a size that can be true.
    private static void CheckLayerDescriptors(ImageReference reference, ImageManifest manifest)
    {
        foreach (var layer in manifest.Layers)
        {
            if (!MediaTypes.IsLayer(layer.MediaType))
                throw new EngineException("UnsupportedMediaType", EngineErrorKind.InvalidData,
                    $"{reference.FamiliarName}: layer {layer.Digest} has the media type '{layer.MediaType}', which is not an image layer.", layer.Digest.ToString());
            if (layer.Size is < 0 or > LayerSizeLimit)
                throw new EngineException("LayerTooLarge", EngineErrorKind.InvalidData,
                    $"{reference.FamiliarName}: layer {layer.Digest} claims {layer.Size} bytes; a layer may have at most {LayerSizeLimit}.", layer.Digest.ToString());
        }
    }

    private async Task PullLayerAsync(RegistryClient client, ImageReference reference, Descriptor layer, int index, int count,
        string? parentChainId, string diffId, Action<PullProgress> progress, CancellationToken cancel)
    {
        var chainId = LayerStore.ChainIdOf(parentChainId, diffId);
        // A present layer proves nothing about this blob: only one the store read and verified itself is skipped.
        if (_layers.Exists(chainId) && _content.Exists(layer.Digest) && _layers.Verified.Gives(layer.Digest, layer.Size, diffId))
        {
            progress(new PullProgress(index, count, layer.Digest.ToString(), layer.Size, layer.Size, "Already exists"));
            return;
        }

        // Foreign and non-distributable layers come from this registry by digest, as Docker fetches them; their
        // urls are not followed.
        await using var body = await client.GetBlobAsync(reference.Repository, layer.Digest, 0, cancel).ConfigureAwait(false);
        var lastReported = 0L;
        var reported = new ProgressReadStream(body, done =>
        {
            // A report per read would flood the pipeline thread; one per 256 KiB is smooth enough.
            if (done - lastReported < 256 * 1024) return;
            lastReported = done;
            progress(new PullProgress(index, count, layer.Digest.ToString(), done, layer.Size, "Downloading"));
        });
        using var blob = _content.BeginWrite();
        // Descriptor size bounds what is read; the uncompressed size is bounded against decompression bombs.
        using var compressed = new HashingReadStream(reported, blob, limit: layer.Size, hash: false);
        using var tar = new HashingReadStream(LayerDecompression.Open(compressed), limit: LayerDecompression.ExpansionLimit(layer.Size));
        string Verify()
        {
            var actualDiffId = tar.Finish().ToString();
            compressed.Drain();
            blob.Verify(layer.Digest, layer.Size);
            return actualDiffId;
        }
        var unpacked = false;
        if (!_layers.Exists(chainId))
        {
            _layers.Create(parentChainId, diffId, diffDir =>
            {
                var size = LayerUnpacker.Unpack(tar, diffDir, cancel);
                unpacked = true;
                return (Verify(), size);
            });
        }
        // The layer is there (or another pull made it meanwhile): the bytes still have to prove they are it.
        if (!unpacked && Verify() is var found && found != diffId)
            throw new EngineException("DiffIdMismatch", EngineErrorKind.InvalidData,
                $"Layer {layer.Digest} has diff id {found}; the image config says {diffId}.", diffId);
        // Stored only now: a layer whose diff id was wrong must not leave its blob behind.
        blob.Commit(layer.Digest, layer.Size);
        _layers.Verified.Record(layer.Digest, layer.Size, diffId);
        progress(new PullProgress(index, count, layer.Digest.ToString(), layer.Size, layer.Size, "Pull complete"));
    }

    private static async Task<byte[]> ReadSmallBlobAsync(RegistryClient client, string repository, Descriptor descriptor, CancellationToken cancel)
    {
        await using var stream = await client.GetBlobAsync(repository, descriptor.Digest, 0, cancel).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > descriptor.Size)
                break;
        }
        var bytes = buffer.ToArray();
        if (bytes.Length != descriptor.Size)
            throw new EngineException("SizeMismatch", EngineErrorKind.InvalidData, $"Blob {descriptor.Digest} has {bytes.Length} bytes; its descriptor says {descriptor.Size}.", descriptor.Digest.ToString());
        if (Digest.Of(bytes) != descriptor.Digest)
            throw new EngineException("DigestMismatch", EngineErrorKind.InvalidData, $"Blob {descriptor.Digest} does not match its digest.", descriptor.Digest.ToString());
        return bytes;
    }
}
