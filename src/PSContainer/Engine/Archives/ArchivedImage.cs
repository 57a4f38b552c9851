using PSContainer.Engine.Content;
using PSContainer.Engine.References;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Archives;

/// <summary>An image an archive holds: its config checked against its digest, its layers located, nothing stored yet.</summary>
internal sealed class ArchivedImage
{
    private ArchivedImage(Digest id, byte[] config, IReadOnlyList<ArchivedLayer> layers, byte[]? manifest)
    {
        Id = id;
        Config = config;
        Layers = layers;
        Manifest = manifest;
    }

    /// <summary>The config digest: the image id.</summary>
    public Digest Id { get; }

    /// <summary>The config as the archive holds it.</summary>
    public byte[] Config { get; }

    /// <summary>The layers, base first, each with the diff id the config gives it.</summary>
    public IReadOnlyList<ArchivedLayer> Layers { get; }

    /// <summary>The image manifest, when the archive has one (OCI layouts).</summary>
    public byte[]? Manifest { get; }

    /// <summary>The names the archive gives the image, as full references.</summary>
    public List<string> Tags { get; } = [];

    /// <summary>
    /// Checks <paramref name="config"/> against the digest the archive promises for it and pairs the config's
    /// diff ids with <paramref name="layers"/>. <paramref name="path"/> names the config in errors.
    /// </summary>
    public static ArchivedImage Create(byte[] config, Digest? promised, string path, IReadOnlyList<ArchivedLayer> layers, byte[]? manifest)
    {
        var id = Digest.Of(config);
        if (promised is { } want && want != id)
            throw new EngineException("DigestMismatch", EngineErrorKind.InvalidData,
                $"The image config '{path}' has digest {id}; the archive promises {want}.", path);
        var parsed = ArchiveCatalog.Parse(config, OciJsonContext.Default.OciImageConfig, path);
        var diffIds = parsed.RootFs.DiffIds;
        if (parsed.RootFs.Type != "layers" || diffIds.Any(d => !Digest.TryParse(d, out _)))
            throw new EngineException("InvalidArchive", EngineErrorKind.InvalidData, $"The image config '{path}' has no valid rootfs.diff_ids.", path);
        if (diffIds.Count != layers.Count)
            throw new EngineException("InvalidArchive", EngineErrorKind.InvalidData,
                $"The image config '{path}' lists {diffIds.Count} layers; the archive gives {layers.Count}.", path);
        return new ArchivedImage(id, config, layers.Select((layer, i) => layer with { DiffId = diffIds[i] }).ToList(), manifest);
    }

    /// <summary>Adds a name the archive gives the image, in any form Docker accepts.</summary>
    public void AddTag(string name)
    {
        if (!ImageReference.TryParse(name, out var reference) || reference.Digest is not null)
            throw new EngineException("InvalidArchiveTag", EngineErrorKind.InvalidData, $"The archive names image {Id} '{name}', which is not a valid tag.", name);
        if (!Tags.Contains(reference.FullName))
            Tags.Add(reference.FullName);
    }
}
