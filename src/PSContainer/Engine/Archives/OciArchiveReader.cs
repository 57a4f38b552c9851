using PSContainer.Engine.Content;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;

namespace PSContainer.Engine.Archives;

/// <summary>
/// Reads the images of an OCI image layout in a tar: index.json lists manifests (or indexes, of which the
/// entry for this machine is taken), every blob is named by its digest and checked against it.
/// </summary>
internal static class OciArchiveReader
{
    /// <summary>The annotation containerd and Docker put the full image name in.</summary>
    public const string ImageNameAnnotation = "io.containerd.image.name";

    /// <summary>The OCI annotation naming an index entry: a full reference, or only a tag.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    // Indexes may list indexes; no real image nests deeper than this.
    private const int MaxIndexDepth = 4;

    /// <summary>The images the layout's index lists, in its order; artifacts that are not images are skipped.</summary>
    public static List<ArchivedImage> Read(ArchiveCatalog catalog, Action<string>? verbose)
    {
        var layout = ArchiveCatalog.Parse(catalog.ReadDocument("oci-layout"), ArchiveJsonContext.Default.OciLayout, "oci-layout");
        if (!layout.ImageLayoutVersion.StartsWith("1.", StringComparison.Ordinal))
            throw new EngineException("UnsupportedArchive", EngineErrorKind.InvalidData,
                $"The archive is an OCI image layout version {layout.ImageLayoutVersion}; only 1.x is understood.", layout.ImageLayoutVersion);
        var index = ArchiveCatalog.Parse(catalog.ReadDocument("index.json"), RegistryJsonContext.Default.ImageIndex, "index.json");
        var images = new List<ArchivedImage>();
        foreach (var entry in index.Manifests)
        {
            if (ReadImage(catalog, entry, 0, verbose) is not { } image)
                continue;
            if (NameOf(entry, verbose) is { } name)
                image.AddTag(name);
            images.Add(image);
        }
        return images;
    }

    /// <summary>
    /// The full name an index entry gives its image: containerd's name annotation, else a ref.name that is a whole
    /// reference. A ref.name that is only a tag ("latest") names no repository, so the image stays unnamed.
    /// </summary>
    public static string? NameOf(Descriptor entry, Action<string>? verbose)
    {
        if (entry.Annotations is not { } annotations)
            return null;
        foreach (var key in new[] { ImageNameAnnotation, RefNameAnnotation })
        {
            if (!annotations.TryGetValue(key, out var name) || (key == RefNameAnnotation && !name.Contains(':') && !name.Contains('/')))
                continue;
            if (ImageReference.TryParse(name, out var reference) && reference.Digest is null)
                return reference.FullName;
            verbose?.Invoke($"Ignoring the name '{name}' of {entry.Digest}: it is not a valid tag.");
        }
        return null;
    }

    private static ArchivedImage? ReadImage(ArchiveCatalog catalog, Descriptor entry, int depth, Action<string>? verbose)
    {
        if (MediaTypes.IsIndex(entry.MediaType))
        {
            if (depth == MaxIndexDepth)
                throw new EngineException("InvalidArchive", EngineErrorKind.InvalidData, $"The archive nests indexes more than {MaxIndexDepth} deep.", entry.Digest.ToString());
            var nested = ArchiveCatalog.Parse(ReadDocument(catalog, entry), RegistryJsonContext.Default.ImageIndex, ArchivePath.OfBlob(entry.Digest));
            // An index of one entry needs no choosing, and some writers leave its platform out.
            var chosen = nested.Manifests.Count == 1 ? nested.Manifests[0] : PlatformSelector.Select(nested);
            return ReadImage(catalog, chosen, depth + 1, verbose);
        }
        if (!MediaTypes.IsManifest(entry.MediaType))
        {
            verbose?.Invoke($"Skipping {entry.Digest}: {entry.MediaType} is not an image manifest.");
            return null;
        }
        var content = ReadDocument(catalog, entry);
        var manifest = ArchiveCatalog.Parse(content, RegistryJsonContext.Default.ImageManifest, ArchivePath.OfBlob(entry.Digest));
        if (!ArchiveMediaTypes.IsImageConfig(manifest.Config.MediaType))
        {
            verbose?.Invoke($"Skipping {entry.Digest}: its config is {manifest.Config.MediaType}, not an image config.");
            return null;
        }
        if (manifest.Layers.FirstOrDefault(layer => !MediaTypes.IsLayer(layer.MediaType)) is { } odd)
            throw new EngineException("UnsupportedMediaType", EngineErrorKind.InvalidData,
                $"Layer {odd.Digest} of {ArchivePath.OfBlob(entry.Digest)} has the media type '{odd.MediaType}', which is not an image layer.", odd.Digest.ToString());
        var layers = manifest.Layers
            .Select(layer => new ArchivedLayer(catalog.Resolve(ArchivePath.OfBlob(layer.Digest)).Name, "", layer.Digest, layer.Size, layer.MediaType))
            .ToList();
        return ArchivedImage.Create(ReadBlob(catalog, manifest.Config), manifest.Config.Digest, ArchivePath.OfBlob(manifest.Config.Digest), layers, content);
    }

    // A manifest or index, held to what its descriptor says it is, as a registry response to its Content-Type.
    private static byte[] ReadDocument(ArchiveCatalog catalog, Descriptor descriptor)
    {
        var content = ReadBlob(catalog, descriptor);
        ManifestChecks.ResolveMediaType(descriptor.MediaType, content, ArchivePath.OfBlob(descriptor.Digest));
        return content;
    }

    private static byte[] ReadBlob(ArchiveCatalog catalog, Descriptor descriptor)
    {
        var path = ArchivePath.OfBlob(descriptor.Digest);
        var content = catalog.ReadDocument(path);
        if (content.Length != descriptor.Size)
            throw new EngineException("SizeMismatch", EngineErrorKind.InvalidData,
                $"'{path}' in the archive has {content.Length} bytes; its descriptor says {descriptor.Size}.", path);
        if (Digest.Of(content) != descriptor.Digest)
            throw new EngineException("DigestMismatch", EngineErrorKind.InvalidData,
                $"'{path}' in the archive has digest {Digest.Of(content)}, not the one its name and descriptor promise.", path);
        return content;
    }
}
