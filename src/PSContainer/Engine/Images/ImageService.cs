using PSContainer.Engine.Content;
using PSContainer.Engine.Layers;
using PSContainer.Engine.References;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Images;

/// <summary>Finding, listing, tagging and removing images; the operations Get-Image and friends call.</summary>
internal sealed class ImageService
{
    private readonly StoreLayout _layout;
    private readonly ContentStore _content;
    private readonly LayerStore _layers;
    private readonly IImageUsers _users;

    public ImageService(StoreLayout layout, ContentStore content, LayerStore layers, ImageStore store, IImageUsers users)
    {
        _layout = layout;
        _content = content;
        _layers = layers;
        Store = store;
        _users = users;
    }

    private ImageStore Store { get; }

    /// <summary>Finds an image by reference ("busybox", "busybox:1.36", "docker.io/library/busybox"), id, or unique id prefix.</summary>
    public ImageRecord Resolve(string nameOrId)
    {
        var byId = TryResolveId(nameOrId);
        if (byId is not null) return byId;
        ImageReference reference;
        try
        {
            reference = ImageReference.Parse(nameOrId);
        }
        catch (EngineException) when (IsHexPrefix(nameOrId))
        {
            throw NotFound(nameOrId);
        }
        if (Store.Tags().TryGetValue(reference.FullName, out var id) && Store.Get(id) is { } image)
            return image;
        if (reference.Digest is { } digest)
        {
            var match = Store.List().FirstOrDefault(i => i.ManifestDigest == digest.ToString() || i.RepoDigests.Contains(reference.Name + "@" + digest));
            if (match is not null) return match;
        }
        throw NotFound(nameOrId);
    }

    /// <summary>The name a container shows for its image: what the user typed, normalized to familiar form.</summary>
    public string DisplayName(string requested, ImageRecord image)
    {
        if (TryResolveId(requested) is not null) return Digest.Parse(image.Id).Hex[..12];
        return ImageReference.Parse(requested).FamiliarName;
    }

    /// <summary>All images, one entry per tag, untagged images once; newest first.</summary>
    public List<ImageInfo> List()
    {
        var tagsByImage = Store.Tags().GroupBy(t => t.Value).ToDictionary(g => g.Key, g => g.Select(t => t.Key).OrderBy(t => t, StringComparer.Ordinal).ToList());
        var result = new List<ImageInfo>();
        foreach (var image in Store.List())
        {
            var tags = tagsByImage.GetValueOrDefault(image.Id) ?? [];
            var config = Store.Config(image);
            if (tags.Count == 0) result.Add(Describe(image, config, null, tags));
            foreach (var tag in tags) result.Add(Describe(image, config, tag, tags));
        }
        return result.OrderByDescending(i => i.Created).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Describes one image for output, under the tag the user named when there is one.</summary>
    public ImageInfo Describe(ImageRecord image, string? asReference = null)
    {
        var tags = Store.Tags().Where(t => t.Value == image.Id).Select(t => t.Key).OrderBy(t => t, StringComparer.Ordinal).ToList();
        string? tag = null;
        if (asReference is not null && TryResolveId(asReference) is null)
            tag = ImageReference.Parse(asReference).FullName;
        if (tag is null || !tags.Contains(tag)) tag = tags.FirstOrDefault();
        return Describe(image, Store.Config(image), tag, tags);
    }

    /// <summary>Adds a tag (full or familiar form) to an image.</summary>
    public void Tag(ImageRecord image, string reference)
    {
        var parsed = ImageReference.Parse(reference);
        if (parsed.Digest is not null)
            throw new EngineException("InvalidTag", EngineErrorKind.InvalidArgument, $"A tag cannot contain a digest: '{reference}'.", reference);
        using var _ = _layout.Lock();
        Store.Tag(parsed.FullName, image.Id);
    }

    /// <summary>
    /// Removes what <paramref name="nameOrId"/> names: a tag (the image goes with its last tag) or, by id,
    /// the image and all its tags. An image a container uses stays unless <paramref name="force"/>.
    /// Returns the removed tags and, when the image itself went, its id.
    /// </summary>
    public (List<string> Untagged, string? Deleted) Remove(string nameOrId, bool force)
    {
        using var _ = _layout.Lock();
        var image = Resolve(nameOrId);
        var tags = Store.Tags().Where(t => t.Value == image.Id).Select(t => t.Key).ToList();
        var byId = TryResolveId(nameOrId) is not null;
        var untagged = new List<string>();
        if (!byId)
        {
            var full = ImageReference.Parse(nameOrId).FullName;
            if (tags.Count > 1 || (tags.Count == 1 && tags[0] != full && !force))
            {
                if (Store.Untag(full)) untagged.Add(ImageReference.Parse(full).FamiliarName);
                return (untagged, null);
            }
        }
        else if (tags.Count > 1 && !force)
        {
            throw new EngineException("ImageHasManyTags", EngineErrorKind.InvalidState,
                $"Image {Digest.Parse(image.Id).Hex[..12]} is tagged in {tags.Count} repositories; remove it by name or use -Force.", nameOrId);
        }
        var users = _users.ContainersUsing(image.Id);
        if (users.Count > 0 && !force)
            throw new EngineException("ImageInUse", EngineErrorKind.InvalidState,
                $"Image {nameOrId} is used by container(s) {string.Join(", ", users)}; remove them first or use -Force.", nameOrId);
        foreach (var tag in tags) untagged.Add(ImageReference.Parse(tag).FamiliarName);
        if (users.Count > 0)
        {
            // Forced while in use: as Docker, the image loses its tags but its content stays for its containers.
            foreach (var tag in tags) Store.Untag(tag);
            return (untagged, null);
        }
        Store.Delete(image.Id);
        CollectGarbage();
        return (untagged, image.Id);
    }

    /// <summary>
    /// The image's history, newest first, each non-empty entry matched with its layer in order (an image
    /// without history gets one entry a layer).
    /// </summary>
    public List<ImageHistoryEntry> History(ImageRecord image)
    {
        var config = Store.Config(image);
        var chains = LayerStore.ChainIdsOf(image.Layers.Select(l => l.DiffId));
        var history = config.History is { Count: > 0 } h ? h : image.Layers.Select(_ => new OciHistory()).ToList();
        var entries = new List<ImageHistoryEntry>();
        var layer = 0;
        foreach (var step in history)
        {
            var empty = step.EmptyLayer == true || layer >= image.Layers.Count;
            long size = 0;
            string? diffId = null;
            if (!empty)
            {
                diffId = image.Layers[layer].DiffId;
                size = _layers.Exists(chains[layer]) ? _layers.Get(chains[layer]).Size : image.Layers[layer].Size;
                layer++;
            }
            entries.Add(new ImageHistoryEntry
            {
                ImageId = image.Id,
                Created = step.Created,
                CreatedBy = step.CreatedBy ?? "",
                Comment = step.Comment,
                EmptyLayer = empty,
                Size = size,
                LayerDiffId = diffId,
            });
        }
        entries.Reverse();
        if (entries.Count > 0)
            entries[0] = new ImageHistoryEntry
            {
                Id = image.Id, ImageId = image.Id, Created = entries[0].Created, CreatedBy = entries[0].CreatedBy, Comment = entries[0].Comment,
                EmptyLayer = entries[0].EmptyLayer, Size = entries[0].Size, LayerDiffId = entries[0].LayerDiffId,
            };
        return entries;
    }

    /// <summary>Removes layers and blobs no image refers to. Needs the store lock.</summary>
    public void CollectGarbage()
    {
        var (usedChains, usedBlobs) = InUse();
        foreach (var layer in _layers.List().ToList())
            if (!usedChains.Contains(layer.ChainId))
                _layers.Delete(layer.ChainId);
        foreach (var blob in _content.List().ToList())
            if (!usedBlobs.Contains(blob.ToString()))
                _content.Delete(blob);
        _layers.Repair();
    }

    /// <summary>
    /// Removes the given layers and blobs unless an image or container refers to them: what a failed import
    /// stored before it failed. Needs the store lock.
    /// </summary>
    public void Discard(IEnumerable<string> chainIds, IEnumerable<Digest> blobs)
    {
        var (usedChains, usedBlobs) = InUse();
        foreach (var chainId in chainIds)
            if (!usedChains.Contains(chainId))
                _layers.Delete(chainId);
        foreach (var blob in blobs)
            if (!usedBlobs.Contains(blob.ToString()))
                _content.Delete(blob);
    }

    /// <summary>
    /// The full tag <paramref name="requested"/> names on <paramref name="image"/> ("busybox" gives
    /// "docker.io/library/busybox:latest"), or null when it names the image by id or digest.
    /// </summary>
    public string? TagOf(string requested, ImageRecord image)
    {
        if (TryResolveId(requested) is not null || !ImageReference.TryParse(requested, out var reference) || reference.Digest is not null)
            return null;
        return Store.Tags().TryGetValue(reference.FullName, out var id) && id == image.Id ? reference.FullName : null;
    }

    // The ChainIDs and blob digests that images, containers and live leases hold.
    private (HashSet<string> Chains, HashSet<string> Blobs) InUse()
    {
        var usedChains = new HashSet<string>(StringComparer.Ordinal);
        var usedBlobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in Store.List())
        {
            usedChains.UnionWith(LayerStore.ChainIdsOf(image.Layers.Select(l => l.DiffId)));
            usedBlobs.Add(image.Id);
            if (image.ManifestDigest is not null) usedBlobs.Add(image.ManifestDigest);
            foreach (var layer in image.Layers) usedBlobs.Add(layer.Digest);
        }
        usedChains.UnionWith(_users.LayersInUse());
        var leased = Lease.Held(_layout);
        usedChains.UnionWith(leased);
        usedBlobs.UnionWith(leased);
        return (usedChains, usedBlobs);
    }

    private ImageRecord? TryResolveId(string text)
    {
        if (Digest.TryParse(text, out _)) return Store.Get(text);
        if (!IsHexPrefix(text)) return null;
        if (text.Length == 64) return Store.Get("sha256:" + text);
        var matches = Store.List().Where(i => i.Id.StartsWith("sha256:" + text, StringComparison.Ordinal)).ToList();
        if (matches.Count > 1)
            throw new EngineException("AmbiguousImageId", EngineErrorKind.InvalidArgument, $"Image id prefix '{text}' matches {matches.Count} images.", text);
        return matches.FirstOrDefault();
    }

    private static bool IsHexPrefix(string text) => text.Length is >= 4 and <= 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static EngineException NotFound(string nameOrId) =>
        new("ImageNotFound", EngineErrorKind.NotFound, $"No such image: {nameOrId}. Pull it with Receive-Image or import it with Import-Image.", nameOrId);

    private ImageInfo Describe(ImageRecord image, OciImageConfig config, string? fullTag, List<string> allTags)
    {
        string repository = "<none>", tag = "<none>";
        if (fullTag is not null)
        {
            var reference = ImageReference.Parse(fullTag);
            var familiar = reference.FamiliarName;
            var colon = familiar.LastIndexOf(':');
            repository = familiar[..colon];
            tag = familiar[(colon + 1)..];
        }
        var run = config.Config;
        long size = 0;
        foreach (var chain in LayerStore.ChainIdsOf(image.Layers.Select(l => l.DiffId)))
            if (_layers.Exists(chain)) size += _layers.Get(chain).Size;
        return new ImageInfo
        {
            Id = image.Id,
            Repository = repository,
            Tag = tag,
            RepoTags = allTags.Select(t => ImageReference.Parse(t).FamiliarName).ToList(),
            RepoDigests = image.RepoDigests,
            Created = config.Created ?? image.Stored,
            Size = size,
            Architecture = config.Architecture,
            Os = config.Os,
            LayerCount = image.Layers.Count,
            Entrypoint = run?.Entrypoint ?? [],
            Command = run?.Cmd ?? [],
            Environment = run?.Env ?? [],
            WorkingDirectory = run?.WorkingDir,
            User = run?.User,
            Labels = run?.Labels ?? new Dictionary<string, string>(),
            ExposedPorts = run?.ExposedPorts?.Keys.ToList() ?? [],
            Volumes = run?.Volumes?.Keys.ToList() ?? [],
        };
    }
}
