using System.Formats.Tar;
using System.Text.Json;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Archives;

/// <summary>
/// Export-Image's engine: writes images as a docker-archive (manifest.json plus the OCI layout Docker 25 adds,
/// so old and new loaders both read it) or as an oci-archive. Layers are the stored blobs, byte for byte; a blob
/// that is gone is packed again from the unpacked layer, which must then give the diff id the config names.
/// The archive is written to a temporary file and renamed into place, so it is whole or absent.
/// </summary>
internal sealed class ImageExporter
{
    private const uint FilePermissions = 0x1A4; // 0644
    private const uint DirectoryPermissions = 0x1ED; // 0755

    private readonly StoreLayout _layout;
    private readonly ContentStore _content;
    private readonly LayerStore _layers;
    private readonly ImageStore _imageStore;

    /// <summary>An exporter from the store these belong to.</summary>
    public ImageExporter(StoreLayout layout, ContentStore content, LayerStore layers, ImageStore imageStore)
    {
        _layout = layout;
        _content = content;
        _layers = layers;
        _imageStore = imageStore;
    }

    /// <summary>
    /// Writes <paramref name="images"/> to <paramref name="path"/>. <paramref name="progress"/> hears bytes written
    /// and the total expected; <paramref name="verbose"/> hears of blobs that had to be packed again.
    /// </summary>
    public void Export(IReadOnlyList<ImageToExport> images, string path, ImageArchiveFormat format, Action<long, long>? progress,
        Action<string>? verbose, CancellationToken cancel)
    {
        var layerBlobs = new OrderedDictionary<Digest, Stream>();
        try
        {
            List<ExportedImage> exported;
            // Blobs are opened under the lock: an open file outlives its unlink, so a Remove-Image in another
            // session cannot pull content away while the archive is written without it.
            using (_layout.Lock())
                exported = images.Select(image => Prepare(image, layerBlobs, verbose)).ToList();
            var documents = Documents(exported, format);
            var smallBlobs = new OrderedDictionary<Digest, byte[]>();
            foreach (var image in exported)
            {
                smallBlobs.TryAdd(image.ConfigDigest, image.Config);
                smallBlobs.TryAdd(image.ManifestDigest, image.Manifest);
            }
            var total = documents.Sum(d => (long)d.Content.Length) + smallBlobs.Values.Sum(b => (long)b.Length) + layerBlobs.Values.Sum(b => b.Length);
            AtomicFile.Write(path, file =>
            {
                var tar = new PaxTarWriter(new CountingWriteStream(file, written =>
                {
                    cancel.ThrowIfCancellationRequested();
                    progress?.Invoke(written, total);
                }));
                foreach (var (name, content) in documents)
                    tar.Write(FileHeader(name, content.Length), new MemoryStream(content));
                tar.Write(new LayerTarHeader("blobs/", TarEntryType.Directory) { Mode = DirectoryPermissions }, null);
                tar.Write(new LayerTarHeader("blobs/sha256/", TarEntryType.Directory) { Mode = DirectoryPermissions }, null);
                foreach (var (digest, content) in smallBlobs)
                    tar.Write(FileHeader(ArchivePath.OfBlob(digest), content.Length), new MemoryStream(content));
                foreach (var (digest, blob) in layerBlobs)
                    tar.Write(FileHeader(ArchivePath.OfBlob(digest), blob.Length), blob);
                tar.Finish();
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var kind = e switch
            {
                UnauthorizedAccessException => EngineErrorKind.PermissionDenied,
                DirectoryNotFoundException => EngineErrorKind.NotFound,
                _ => EngineErrorKind.ExternalFailure,
            };
            throw new EngineException("ArchiveWriteFailed", kind, $"Cannot write the archive {path}: {e.Message}", path, e);
        }
        finally
        {
            foreach (var blob in layerBlobs.Values)
                blob.Dispose();
        }
    }

    // Opens (or packs again) the image's layer blobs and settles its config and manifest. Needs the store lock.
    private ExportedImage Prepare(ImageToExport request, OrderedDictionary<Digest, Stream> blobs, Action<string>? verbose)
    {
        var image = request.Image;
        var configDigest = Digest.Parse(image.Id);
        var config = _content.ReadAllBytes(configDigest);
        var diffIds = _imageStore.Config(image).RootFs.DiffIds;
        if (!diffIds.SequenceEqual(image.Layers.Select(l => l.DiffId)))
            throw new EngineException("CorruptImage", EngineErrorKind.InvalidData,
                $"The layers of image {image.Id} do not match the diff ids of its config.", image.Id);
        var chains = LayerStore.ChainIdsOf(diffIds);
        var layers = new List<Descriptor>();
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var layer = image.Layers[i];
            if (Digest.TryParse(layer.Digest, out var digest) && _content.Exists(digest))
            {
                if (!blobs.TryGetValue(digest, out var blob))
                    blobs.Add(digest, blob = _content.OpenRead(digest));
                layers.Add(new Descriptor { MediaType = LayerMediaType(blob), Digest = digest, Size = blob.Length });
                continue;
            }
            var packed = Repack(chains[i], layer.DiffId);
            verbose?.Invoke($"Blob {layer.Digest} of layer {layer.DiffId} is not in the store; packed the layer again from its unpacked files.");
            digest = Digest.Parse(layer.DiffId);
            if (!blobs.TryAdd(digest, packed))
                packed.Dispose();
            layers.Add(new Descriptor { MediaType = MediaTypes.OciLayerTar, Digest = digest, Size = blobs[digest].Length });
        }
        var manifest = StoredManifest(image, layers) ?? JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = config.Length },
            Layers = layers,
        }, RegistryJsonContext.Default.ImageManifest);
        return new ExportedImage(request.Tags, configDigest, config, Digest.Of(manifest), manifest, layers.Select(l => l.Digest).ToList());
    }

    // The manifest the image came with, when it still describes exactly these blobs: its digest is the one
    // registries know the image by. Docker manifests are rewritten as OCI, which an OCI layout calls for.
    private byte[]? StoredManifest(ImageRecord image, List<Descriptor> layers)
    {
        if (!Digest.TryParse(image.ManifestDigest, out var digest) || !_content.Exists(digest))
            return null;
        var content = _content.ReadAllBytes(digest);
        ImageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(content, RegistryJsonContext.Default.ImageManifest);
        }
        catch (JsonException)
        {
            return null;
        }
        var matches = manifest is { MediaType: null or MediaTypes.OciManifest, Config.MediaType: MediaTypes.OciConfig } &&
            manifest.Config.Digest.ToString() == image.Id &&
            manifest.Layers.Select(l => (l.Digest, l.MediaType)).SequenceEqual(layers.Select(l => (l.Digest, l.MediaType)));
        return matches ? content : null;
    }

    // Packs an unpacked layer into a temporary file that vanishes when closed. Needs the store lock.
    private FileStream Repack(string chainId, string diffId)
    {
        if (!_layers.Exists(chainId))
            throw new EngineException("LayerNotFound", EngineErrorKind.NotFound,
                $"Layer {diffId} has neither its blob nor its unpacked files in the store; pull or import the image again.", diffId);
        var temp = new FileStream(Path.Combine(_layout.TempDir, TempName.For("export")), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        try
        {
            LayerPacker.Pack(_layers.DiffDir(chainId), temp);
            temp.Position = 0;
            using (var hashing = new HashingReadStream(temp))
            {
                var packed = hashing.Finish().ToString();
                if (packed != diffId)
                    throw new EngineException("LayerNotReproducible", EngineErrorKind.InvalidState,
                        $"The blob of layer {diffId} is not in the store, and packing its files again gives {packed}: the original tar " +
                        "held details the unpacked files do not keep. Pull or import the image again.", diffId);
            }
            temp.Position = 0;
            return temp;
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    // The bytes decide, as when importing: a stored media type may be a Docker one or wrong.
    private static string LayerMediaType(Stream blob)
    {
        Span<byte> head = stackalloc byte[LayerDecompression.MagicLength];
        var length = blob.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        blob.Position = 0;
        return ArchiveMediaTypes.OciLayer(LayerDecompression.Sniff(head[..length]));
    }

    private static LayerTarHeader FileHeader(string name, long size) =>
        new(name, TarEntryType.RegularFile) { Mode = FilePermissions, Size = size };

    // oci-layout and index.json, and for a docker-archive manifest.json; the small files go first so a reader
    // that streams the archive knows what follows.
    private static List<(string Name, byte[] Content)> Documents(List<ExportedImage> images, ImageArchiveFormat format)
    {
        var index = new ImageIndex { MediaType = MediaTypes.OciIndex };
        foreach (var image in images)
        {
            var descriptor = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = image.ManifestDigest, Size = image.Manifest.Length };
            if (image.Tags.Count == 0)
                index.Manifests.Add(descriptor);
            foreach (var tag in image.Tags)
            {
                var reference = ImageReference.Parse(tag);
                index.Manifests.Add(descriptor with
                {
                    Annotations = new Dictionary<string, string>
                    {
                        [OciArchiveReader.ImageNameAnnotation] = reference.FullName,
                        // Docker writes only the tag here; an OCI layout on its own needs the whole name.
                        [OciArchiveReader.RefNameAnnotation] = format == ImageArchiveFormat.DockerArchive ? reference.Tag! : reference.FullName,
                    },
                });
            }
        }
        var documents = new List<(string, byte[])>
        {
            ("oci-layout", JsonSerializer.SerializeToUtf8Bytes(new OciLayout(), ArchiveJsonContext.Default.OciLayout)),
            ("index.json", JsonSerializer.SerializeToUtf8Bytes(index, RegistryJsonContext.Default.ImageIndex)),
        };
        if (format == ImageArchiveFormat.DockerArchive)
        {
            var manifest = images.Select(image => new DockerArchiveManifest
            {
                Config = ArchivePath.OfBlob(image.ConfigDigest),
                RepoTags = image.Tags.Count == 0 ? null : image.Tags.Select(t => ImageReference.Parse(t).FamiliarName).ToList(),
                Layers = image.Layers.Select(ArchivePath.OfBlob).ToList(),
            }).ToList();
            documents.Add(("manifest.json", JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJsonContext.Default.ListDockerArchiveManifest)));
        }
        return documents;
    }

    /// <summary>An image settled for writing: its names, config, manifest and layer blob digests.</summary>
    private sealed record ExportedImage(IReadOnlyList<string> Tags, Digest ConfigDigest, byte[] Config, Digest ManifestDigest, byte[] Manifest, List<Digest> Layers);
}
