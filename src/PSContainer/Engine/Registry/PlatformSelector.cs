namespace PSContainer.Engine.Registry;

/// <summary>
/// Picks the manifest for one platform out of an index, as containerd does: an exact match first, then
/// older variants the CPU also runs (arm v7 runs v6 and v5; amd64 v3 runs v2 and v1). Attestations and
/// entries without a real platform are never picked.
/// </summary>
internal static class PlatformSelector
{
    private const string ReferenceTypeAnnotation = "vnd.docker.reference.type";

    /// <summary>Selects the entry for <paramref name="wanted"/> (this machine when null).</summary>
    public static Descriptor Select(ImageIndex index, Platform? wanted = null)
    {
        var target = (wanted ?? Platform.Current).Normalize();
        var candidates = index.Manifests.Where(IsRunnable).ToList();
        foreach (var variant in AcceptableVariants(target))
        {
            var match = candidates.FirstOrDefault(d =>
            {
                var p = d.Platform!.Normalize();
                return p.Os == target.Os && p.Architecture == target.Architecture && p.Variant == variant;
            });
            if (match is not null)
                return match;
        }
        var available = candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(d => d.Platform!.ToString()));
        throw new EngineException("NoMatchingPlatform", EngineErrorKind.NotFound,
            $"The image has no manifest for {target}; it offers: {available}.", target.ToString());
    }

    /// <summary>Whether an index entry is an image for some real platform, not an attestation or artifact.</summary>
    public static bool IsRunnable(Descriptor entry) =>
        entry.Platform is { } p &&
        p.Os is { Length: > 0 } and not "unknown" &&
        p.Architecture is { Length: > 0 } and not "unknown" &&
        !(entry.Annotations?.TryGetValue(ReferenceTypeAnnotation, out var type) == true && type == "attestation-manifest") &&
        (MediaTypes.IsManifest(entry.MediaType) || MediaTypes.IsIndex(entry.MediaType));

    // Best first; null stands for "no variant".
    private static IEnumerable<string?> AcceptableVariants(Platform target)
    {
        yield return target.Variant;
        switch (target.Architecture)
        {
            case "arm" when target.Variant is { } v && int.TryParse(v.AsSpan(1), out var level):
                for (var lower = level - 1; lower >= 5; lower--)
                    yield return "v" + lower;
                break;
            case "amd64" when target.Variant is { } v && int.TryParse(v.AsSpan(1), out var level):
                for (var lower = level - 1; lower >= 2; lower--)
                    yield return "v" + lower;
                yield return null;
                break;
        }
    }
}
