using PSContainer.Engine.References;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Content;

namespace PSContainer.Engine.Images;

/// <summary>Lists what a registry holds, for Find-Image.</summary>
internal static class ImageFinder
{
    /// <summary>
    /// The tags of <paramref name="repository"/> ("127.0.0.1:5000/busybox", "alpine"), in the registry's order.
    /// A tag or digest in the name is refused: the repository is what is listed.
    /// </summary>
    public static async Task<IReadOnlyList<RemoteImageTag>> ListTagsAsync(string repository, RegistryClientOptions options, CancellationToken cancellationToken)
    {
        var reference = Repository(repository);
        using var client = new RegistryClient(reference.Registry, options);
        var tags = await client.ListTagsAsync(reference.Repository, cancellationToken: cancellationToken).ConfigureAwait(false);
        var familiar = reference.FamiliarName[..^(ImageReference.DefaultTag.Length + 1)];
        return tags.Select(tag => new RemoteImageTag { Repository = familiar, Tag = tag, Reference = familiar + ":" + tag }).ToList();
    }

    // The parsed reference carries the default tag, which stands for nothing here.
    private static ImageReference Repository(string repository)
    {
        var reference = ImageReference.Parse(repository);
        if (reference.Digest is not null || reference.Tag != ImageReference.DefaultTag || repository.EndsWith(":" + ImageReference.DefaultTag, StringComparison.Ordinal))
            throw new EngineException("InvalidRepository", EngineErrorKind.InvalidArgument,
                $"'{repository}' names an image, not a repository; leave the tag or digest off.", repository);
        return reference;
    }
}
