using PSContainer.Engine.Content;

namespace PSContainer.Engine.Archives;

/// <summary>
/// Reads the images of a docker-archive from its manifest.json: whatever wrote it (docker save old or new,
/// podman save, skopeo), each entry names a config and layer tars by path.
/// </summary>
internal static class DockerArchiveReader
{
    /// <summary>The images the archive lists, in its order.</summary>
    public static List<ArchivedImage> Read(ArchiveCatalog catalog)
    {
        var entries = ArchiveCatalog.Parse(catalog.ReadDocument("manifest.json"), ArchiveJsonContext.Default.ListDockerArchiveManifest, "manifest.json");
        var images = new List<ArchivedImage>();
        foreach (var entry in entries)
        {
            var layers = entry.Layers.Select(path =>
            {
                var member = catalog.Resolve(path);
                return new ArchivedLayer(member.Name, "", Promised(path, member), null, null);
            }).ToList();
            var config = catalog.Resolve(entry.Config);
            var image = ArchivedImage.Create(catalog.ReadDocument(entry.Config), Promised(entry.Config, config), entry.Config, layers, null);
            foreach (var tag in entry.RepoTags ?? [])
                image.AddTag(tag);
            images.Add(image);
        }
        return images;
    }

    // Docker 25 names blobs by digest; older writers name a config "<image id hex>.json". Layer tars of older
    // writers ("<hex>.tar", "<hex>/layer.tar") carry ids that are not reliably blob digests, so only diff ids vouch for them.
    private static Digest? Promised(string path, ArchiveMember member)
    {
        foreach (var name in new[] { ArchivePath.Normalize(path)!, member.Name })
        {
            if (ArchivePath.DigestOf(name) is { } digest)
                return digest;
            if (name.EndsWith(".json", StringComparison.Ordinal) && !name.Contains('/') && Digest.TryParse("sha256:" + name[..^5], out var id))
                return id;
        }
        return null;
    }
}
