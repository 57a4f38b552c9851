using System.IO.Compression;
using System.Text.Json;
using PSContainer.Engine.Content;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Images;

/// <summary>
/// Pushes a stored image to a registry, like <c>docker push</c>: each layer (skipped when the repository has it,
/// mounted when another repository of the same registry is known to have it, else uploaded), then the config,
/// then an OCI manifest, last, so that the tag never names content the registry lacks.
/// Uncompressed layers (imported images) go up gzipped, as other tools expect: they are compressed once into the
/// content store, and the image records name the compressed blob from then on.
/// </summary>
internal sealed class ImagePusher
{
    /// <summary>The default <see cref="ChunkSize"/>: small enough for proxies that cap request bodies, big enough to stay fast.</summary>
    public const int DefaultChunkSize = 32 * 1024 * 1024;

    private const int CopyBufferSize = 1 << 20;

    private readonly StoreLayout _layout;
    private readonly ContentStore _content;
    private readonly ImageStore _imageStore;
    private readonly ImageService _images;
    private readonly RegistryClientOptions _options;

    /// <summary>Creates a pusher that connects with <paramref name="options"/> (login, insecure registries).</summary>
    public ImagePusher(StoreLayout layout, ContentStore content, ImageStore imageStore, ImageService images, RegistryClientOptions options)
    {
        _layout = layout;
        _content = content;
        _imageStore = imageStore;
        _images = images;
        _options = options;
    }

    /// <summary>Blobs larger than this go up in PATCH chunks of this many bytes; null sends every blob in one PUT.</summary>
    public int? ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>
    /// Pushes <paramref name="image"/> (a name or id) to <paramref name="destination"/> ("registry/repository:tag"),
    /// or under its own name when that is null, and records the repository digest on the image.
    /// <paramref name="progress"/> may be called from any thread.
    /// </summary>
    public async Task<ImagePushResult> PushAsync(string image, string? destination, Action<PushProgress>? progress, CancellationToken cancellationToken)
    {
        var record = _images.Resolve(image);
        var target = Target(image, destination, record);
        record = CompressLayers(record, progress, cancellationToken);
        var mountSources = MountSources(target);

        using var client = new RegistryClient(target.Registry, _options);
        var results = new List<BlobPushResult>();
        var layers = new List<Descriptor>();
        for (var i = 0; i < record.Layers.Count; i++)
        {
            var layer = record.Layers[i];
            var digest = Digest.Parse(layer.Digest);
            var report = Reporter(progress, i, record.Layers.Count, digest, PushPhase.Uploading, layer.Size);
            var (result, _) = await PushBlobAsync(client, target.Repository, digest, mountSources, report, cancellationToken).ConfigureAwait(false);
            progress?.Invoke(new PushProgress(i, record.Layers.Count, digest, Phase(result), layer.Size, layer.Size));
            results.Add(result);
            layers.Add(new Descriptor { MediaType = ManifestLayerType(layer.MediaType), Digest = digest, Size = layer.Size });
        }
        var configDigest = Digest.Parse(record.Id);
        var (configResult, configSize) = await PushBlobAsync(client, target.Repository, configDigest, mountSources, _ => { }, cancellationToken).ConfigureAwait(false);
        results.Add(configResult);

        var config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = configSize };
        var manifest = JsonSerializer.SerializeToUtf8Bytes(
            new ImageManifest { MediaType = MediaTypes.OciManifest, Config = config, Layers = layers }, RegistryJsonContext.Default.ImageManifest);
        var manifestDigest = await client.PutManifestAsync(target.Repository, target.Tag!, manifest, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        RecordRepoDigest(record.Id, target.Name + "@" + manifestDigest);

        var reference = target.FamiliarName;
        return new ImagePushResult
        {
            Reference = reference,
            Repository = reference[..^(target.Tag!.Length + 1)],
            Tag = target.Tag,
            Digest = manifestDigest.ToString(),
            ImageId = record.Id,
            Size = manifest.Length + config.Size + layers.Sum(l => l.Size),
            UploadedBlobs = results.Count(r => r == BlobPushResult.Uploaded),
            MountedBlobs = results.Count(r => r == BlobPushResult.Mounted),
            ExistingBlobs = results.Count(r => r == BlobPushResult.AlreadyExists),
        };
    }

    // Without a destination the image must carry the name it is pushed under, as docker push demands; an id or id
    // prefix that merely parses as a name ("abc123") must not send the image to Docker Hub's library/abc123.
    private ImageReference Target(string image, string? destination, ImageRecord record)
    {
        if (destination is not null)
        {
            var parsed = ImageReference.Parse(destination);
            return parsed.Digest is null
                ? parsed
                : throw new EngineException("InvalidPushDestination", EngineErrorKind.InvalidArgument,
                    $"Cannot push to '{destination}': a destination names a tag, not a digest.", destination);
        }
        if (ImageReference.TryParse(image, out var own) && own.Digest is null &&
            _imageStore.Tags().TryGetValue(own.FullName, out var id) && id == record.Id)
            return own;
        throw new EngineException("PushDestinationRequired", EngineErrorKind.InvalidArgument,
            $"Image '{image}' is not tagged with a name to push under; give one with -Destination (registry/repository:tag).", image);
    }

    private ImageRecord CompressLayers(ImageRecord record, Action<PushProgress>? progress, CancellationToken cancellationToken)
    {
        var compressed = new Dictionary<string, ImageLayer>(StringComparer.Ordinal);
        for (var i = 0; i < record.Layers.Count; i++)
        {
            var layer = record.Layers[i];
            if (layer.MediaType != MediaTypes.OciLayerTar || compressed.ContainsKey(layer.Digest))
                continue;
            var report = Reporter(progress, i, record.Layers.Count, Digest.Parse(layer.Digest), PushPhase.Compressing, layer.Size);
            compressed[layer.Digest] = Compress(layer, report, cancellationToken);
        }
        if (compressed.Count == 0)
            return record;

        using var _ = _layout.Lock();
        // Every image sharing the tar switches to the gzip blob, so no layer is compressed twice; the tar itself
        // goes with the next garbage collection.
        foreach (var image in _imageStore.List())
        {
            var changed = false;
            for (var i = 0; i < image.Layers.Count; i++)
            {
                if (image.Layers[i].MediaType == MediaTypes.OciLayerTar && compressed.TryGetValue(image.Layers[i].Digest, out var gzip))
                {
                    image.Layers[i] = gzip;
                    changed = true;
                }
            }
            if (changed)
                _imageStore.Put(image);
        }
        return _imageStore.Get(record.Id)
            ?? throw new EngineException("ImageNotFound", EngineErrorKind.NotFound, $"Image {record.Id} was removed during the push.", record.Id);
    }

    private ImageLayer Compress(ImageLayer layer, Action<long> report, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(layer.Digest);
        using var file = new ProgressReadStream(OpenBlob(digest), report);
        using var source = new HashingReadStream(file);
        using var blob = _content.BeginWrite();
        using (var gzip = new GZipStream(blob, CompressionLevel.Optimal, leaveOpen: true))
        {
            var buffer = new byte[CopyBufferSize];
            int read;
            while ((read = source.Read(buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                gzip.Write(buffer, 0, read);
            }
        }
        // The registry would take a damaged tar without a word, and every pull of it would fail its diff id.
        if (source.Finish() != digest)
            throw new EngineException("DigestMismatch", EngineErrorKind.InvalidData,
                $"Layer blob {digest} in the store no longer matches its digest; remove and re-import the image.", layer.Digest);
        var gzipDigest = blob.Commit();
        return new ImageLayer { DiffId = layer.DiffId, Digest = gzipDigest.ToString(), MediaType = MediaTypes.OciLayerGzip, Size = blob.Written };
    }

    // Blobs of images pulled from, or pushed to, another repository of the same registry can be mounted from there.
    private Dictionary<string, string> MountSources(ImageReference target)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in _imageStore.List())
        {
            foreach (var repoDigest in image.RepoDigests)
            {
                if (!ImageReference.TryParse(repoDigest, out var known) || known.Repository == target.Repository ||
                    !known.Registry.Equals(target.Registry, StringComparison.OrdinalIgnoreCase))
                    continue;
                foreach (var blob in image.Layers.Select(l => l.Digest).Append(image.Id))
                    sources.TryAdd(blob, known.Repository);
            }
        }
        return sources;
    }

    private async Task<(BlobPushResult Result, long Size)> PushBlobAsync(RegistryClient client, string repository, Digest digest,
        Dictionary<string, string> mountSources, Action<long> report, CancellationToken cancellationToken)
    {
        await using var content = new ProgressReadStream(OpenBlob(digest), report);
        var options = new BlobUploadOptions { MountFrom = mountSources.GetValueOrDefault(digest.ToString()), ChunkSize = ChunkSize };
        var result = await client.PushBlobAsync(repository, digest, content.Length, content, options, cancellationToken).ConfigureAwait(false);
        return (result, content.Length);
    }

    private Stream OpenBlob(Digest digest)
    {
        try
        {
            return _content.OpenRead(digest);
        }
        catch (FileNotFoundException e)
        {
            throw new EngineException("BlobNotFound", EngineErrorKind.NotFound, $"Blob {digest} of the image is missing from the store.", digest.ToString(), e);
        }
    }

    private void RecordRepoDigest(string imageId, string repoDigest)
    {
        using var _ = _layout.Lock();
        if (_imageStore.Get(imageId) is not { } image || image.RepoDigests.Contains(repoDigest))
            return;
        image.RepoDigests.Add(repoDigest);
        _imageStore.Put(image);
    }

    // Reports about every percent (at least every 64 KiB), and the end, rather than every read.
    private static Action<long> Reporter(Action<PushProgress>? progress, int index, int count, Digest digest, PushPhase phase, long total)
    {
        if (progress is null)
            return _ => { };
        var step = Math.Max(total / 100, 1 << 16);
        var last = -1L;
        return bytes =>
        {
            if (bytes == last || (last >= 0 && bytes < total && Math.Abs(bytes - last) < step))
                return;
            last = bytes;
            progress(new PushProgress(index, count, digest, phase, bytes, total));
        };
    }

    private static PushPhase Phase(BlobPushResult result) => result switch
    {
        BlobPushResult.AlreadyExists => PushPhase.Exists,
        BlobPushResult.Mounted => PushPhase.Mounted,
        _ => PushPhase.Uploaded,
    };

    // An OCI manifest names OCI layer types; Docker's gzip layer is the same bytes under another name.
    private static string ManifestLayerType(string stored) => stored == MediaTypes.DockerLayerGzip ? MediaTypes.OciLayerGzip : stored;
}
