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
/// temporary copy is made. Layers whose ChainID is present are not fetched. Everything is verified before
/// it becomes visible, so a failed or interrupted pull leaves nothing half-stored.
/// </summary>
internal sealed class ImagePuller
{
    private const int ConfigSizeLimit = 8 * 1024 * 1024;
    private const int ParallelLayers = 3;
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

        if (manifest.Config.Size > ConfigSizeLimit)
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

    private async Task PullLayerAsync(RegistryClient client, ImageReference reference, Descriptor layer, int index, int count,
        string? parentChainId, string diffId, Action<PullProgress> progress, CancellationToken cancel)
    {
        if (_layers.Exists(LayerStore.ChainIdOf(parentChainId, diffId)))
        {
            progress(new PullProgress(index, count, layer.Digest.ToString(), layer.Size, layer.Size, "Already exists"));
            return;
        }
        if (layer.MediaType.Contains("foreign", StringComparison.Ordinal) || layer.Urls is { Count: > 0 })
            throw new EngineException("UnsupportedMediaType", EngineErrorKind.InvalidData, $"Layer {layer.Digest} is a foreign layer; it cannot be pulled.", layer.Digest.ToString());

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
        _layers.Create(parentChainId, diffId, diffDir =>
        {
            // Descriptor size bounds what is read; the uncompressed size is bounded against decompression bombs.
            using var compressed = new HashingReadStream(reported, blob, limit: layer.Size, hash: false);
            using var tar = new HashingReadStream(LayerDecompression.Open(compressed), limit: UncompressedLimit(layer.Size));
            var size = LayerUnpacker.Unpack(tar, diffDir, cancel);
            var actualDiffId = tar.Finish().ToString();
            compressed.Drain();
            blob.Verify(layer.Digest, layer.Size);
            return (actualDiffId, size);
        });
        // Stored only now: a layer whose diff id was wrong must not leave its blob behind.
        blob.Commit(layer.Digest, layer.Size);
        progress(new PullProgress(index, count, layer.Digest.ToString(), layer.Size, layer.Size, "Pull complete"));
    }

    /// <summary>The most bytes a layer may expand to: generous for text, fatal for a zip bomb.</summary>
    internal static long UncompressedLimit(long compressedSize) => Math.Max(1L << 30, compressedSize * 200);

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
