using System.Text.Json;
using PSContainer.Engine.Content;

namespace PSContainer.Engine.Registry;

/// <summary>What a manifest must pass before the engine trusts it: size, digest and media type.</summary>
internal static class ManifestChecks
{
    /// <summary>Reads a manifest body, refusing one over <see cref="RegistryClient.ManifestSizeLimit"/>.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > RegistryClient.ManifestSizeLimit)
            throw RegistryErrors.ManifestTooLarge(what, RegistryClient.ManifestSizeLimit);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > RegistryClient.ManifestSizeLimit)
                throw RegistryErrors.ManifestTooLarge(what, RegistryClient.ManifestSizeLimit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A manifest pinned by digest must hash to it, and so must one whose registry announced a digest.</summary>
    public static void CheckDigest(string what, string reference, Digest? announced, Digest actual)
    {
        if (Digest.TryParse(reference, out var pinned) && pinned != actual)
            throw RegistryErrors.DigestMismatch(what, pinned, actual);
        if (announced is { } header && header != actual)
            throw RegistryErrors.DigestMismatch(what, header, actual);
    }

    /// <summary>
    /// The media type of a manifest response. A manifest Content-Type must agree with the body's own
    /// <c>mediaType</c>; a registry that sends a generic type is judged by the body, as OCI allows. A document whose
    /// fields make it both an index and an image manifest, or whose fields contradict its type, is refused.
    /// </summary>
    public static string ResolveMediaType(string? header, byte[] content, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw RegistryErrors.UnsupportedMediaType(what, header);
            var body = root.TryGetProperty("mediaType", out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null;
            var listsManifests = root.TryGetProperty("manifests", out _);
            var hasImageFields = root.TryGetProperty("layers", out _) || root.TryGetProperty("config", out _);
            if (listsManifests && hasImageFields)
                throw RegistryErrors.ContradictoryManifest(what, "it has both 'manifests' (an index) and 'config' or 'layers' (an image manifest)");
            string resolved;
            if (MediaTypes.Manifests.Contains(header))
            {
                if (body is not null && body != header)
                    throw RegistryErrors.ContradictoryManifest(what, $"the response's Content-Type is '{header}' but its mediaType field is '{body}'");
                resolved = header!;
            }
            else if (body is not null)
                resolved = MediaTypes.Manifests.Contains(body) ? body : throw RegistryErrors.UnsupportedMediaType(what, body);
            else if (root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 2 &&
                (listsManifests || hasImageFields))
                resolved = listsManifests ? MediaTypes.OciIndex : MediaTypes.OciManifest;
            else
                throw RegistryErrors.UnsupportedMediaType(what, header);
            if (MediaTypes.IsIndex(resolved) ? hasImageFields : listsManifests)
                throw RegistryErrors.ContradictoryManifest(what, $"it is typed '{resolved}' but has the fields of " + (hasImageFields ? "an image manifest" : "an index"));
            return resolved;
        }
        catch (JsonException e)
        {
            throw RegistryErrors.InvalidManifest(what, e);
        }
    }

    /// <summary>The Docker-Content-Digest a response announced; other algorithms than sha256 cannot be checked and count as none.</summary>
    public static Digest? HeaderDigest(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var digest)
            ? digest
            : null;
}
