using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PSContainer.Engine.Content;

namespace PSContainer.Engine.Registry;

/// <summary>
/// An OCI distribution API client for one registry: manifests, blobs, uploads and tag lists.
/// Repositories are paths such as "library/ubuntu"; references are a tag or a "sha256:…" digest.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    /// <summary>The largest manifest accepted, as containerd and the distribution registry cap them.</summary>
    public const int ManifestSizeLimit = 4 * 1024 * 1024;

    private readonly RegistryConnection _connection;

    /// <summary>Creates a client for a registry ("docker.io", "localhost:5000"); nothing is sent yet.</summary>
    public RegistryClient(string registry, RegistryClientOptions? options = null) =>
        _connection = new RegistryConnection(registry, options ?? new RegistryClientOptions());

    /// <summary>The registry name.</summary>
    public string Registry => _connection.Registry;

    /// <summary>
    /// Checks that the registry accepts the login, as docker login does: <c>GET /v2/</c> answered with credentials
    /// (Basic, or a token fetched with them). Throws RegistryUnauthorized when it does not.
    /// </summary>
    public async Task VerifyLoginAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/v2/", [], cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "login", "RegistryError", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches a manifest or index, verifying its digest against the reference and the registry's header.</summary>
    public async Task<ManifestResponse> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, reference);
        using var response = await SendAsync(HttpMethod.Get, ManifestPath(repository, reference), Pull(repository), cancellationToken, accept: MediaTypes.Manifests).ConfigureAwait(false);
        await EnsureSuccessAsync(response, what, "ManifestUnknown", cancellationToken).ConfigureAwait(false);
        var content = await ManifestChecks.ReadLimitedAsync(response, what, cancellationToken).ConfigureAwait(false);
        var digest = Digest.Of(content);
        ManifestChecks.CheckDigest(what, reference, ManifestChecks.HeaderDigest(response), digest);
        var mediaType = ManifestChecks.ResolveMediaType(response.Content.Headers.ContentType?.MediaType, content, what);
        return new ManifestResponse(content, mediaType, digest);
    }

    /// <summary>Asks for a manifest's descriptor without its body; null when the registry does not have it.</summary>
    public async Task<Descriptor?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, reference);
        using (var response = await SendAsync(HttpMethod.Head, ManifestPath(repository, reference), Pull(repository), cancellationToken, accept: MediaTypes.Manifests).ConfigureAwait(false))
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
                return null;
            await EnsureSuccessAsync(response, what, "ManifestUnknown", cancellationToken).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (ManifestChecks.HeaderDigest(response) is { } digest && response.Content.Headers.ContentLength is { } size && MediaTypes.Manifests.Contains(mediaType))
            {
                if (size > ManifestSizeLimit)
                    throw RegistryErrors.ManifestTooLarge(what, ManifestSizeLimit);
                if (Digest.TryParse(reference, out var pinned) && pinned != digest)
                    throw RegistryErrors.DigestMismatch(what, pinned, digest);
                return new Descriptor { MediaType = mediaType!, Digest = digest, Size = size };
            }
        }
        // Some registries leave the digest or type off HEAD answers; the body is then the only truth.
        return (await GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false)).ToDescriptor();
    }

    /// <summary>Uploads a manifest under a tag or its digest; push its blobs first. Returns the manifest's digest.</summary>
    public async Task<Digest> PutManifestAsync(string repository, string reference, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, reference);
        if (content.Length > ManifestSizeLimit)
            throw RegistryErrors.ManifestTooLarge(what, ManifestSizeLimit);
        var digest = Digest.Of(content.Span);
        ManifestChecks.CheckDigest(what, reference, null, digest);
        using var response = await SendAsync(HttpMethod.Put, ManifestPath(repository, reference), PushPull(repository), cancellationToken, () =>
        {
            var body = new ReadOnlyMemoryContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return body;
        }, idempotent: true).ConfigureAwait(false);
        await EnsureSuccessAsync(response, what, "NameUnknown", cancellationToken).ConfigureAwait(false);
        if (ManifestChecks.HeaderDigest(response) is { } stored && stored != digest)
            throw RegistryErrors.DigestMismatch(what, digest, stored);
        return digest;
    }

    /// <summary>Whether the repository has the blob.</summary>
    public async Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Head, BlobPath(repository, digest), Pull(repository), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureSuccessAsync(response, Describe(repository, digest.ToString()), "BlobUnknown", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Opens a blob for reading from <paramref name="offset"/> on, following redirects to other hosts. The stream
    /// resumes by itself after a dropped connection; the caller verifies the digest.
    /// </summary>
    public Task<BlobStream> GetBlobAsync(string repository, Digest digest, long offset = 0, CancellationToken cancellationToken = default)
    {
        var what = Describe(repository, digest.ToString());
        return BlobStream.OpenAsync(async (from, ct) =>
        {
            var response = await SendAsync(HttpMethod.Get, BlobPath(repository, digest), Pull(repository), ct, rangeFrom: from).ConfigureAwait(false);
            await EnsureSuccessAsync(response, what, "BlobUnknown", ct).ConfigureAwait(false);
            return response;
        }, offset, cancellationToken);
    }

    /// <summary>
    /// Puts a blob into a repository unless it is there: mounted from <see cref="BlobUploadOptions.MountFrom"/>
    /// when the registry can, else uploaded from <paramref name="content"/> (one PUT, or PATCH chunks then PUT).
    /// </summary>
    public async Task<BlobPushResult> PushBlobAsync(string repository, Digest digest, long size, Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (await BlobExistsAsync(repository, digest, cancellationToken).ConfigureAwait(false))
            return BlobPushResult.AlreadyExists;
        var what = Describe(repository, digest.ToString());
        var mountFrom = options?.MountFrom;
        IReadOnlyList<string> scopes = mountFrom is null ? PushPull(repository) : [.. PushPull(repository), .. Pull(mountFrom)];
        var start = $"/v2/{repository}/blobs/uploads/" + (mountFrom is null ? "" : $"?mount={digest}&from={Uri.EscapeDataString(mountFrom)}");

        Uri location;
        using (var response = await SendAsync(HttpMethod.Post, start, scopes, cancellationToken).ConfigureAwait(false))
        {
            if (mountFrom is not null && response.StatusCode == HttpStatusCode.Created)
                return BlobPushResult.Mounted;
            location = await UploadLocationAsync(response, what, cancellationToken).ConfigureAwait(false);
        }

        var chunked = options?.ChunkSize is { } chunkSize && size > chunkSize;
        if (chunked)
            location = await PatchChunksAsync(location, content, size, options!.ChunkSize!.Value, scopes, what, cancellationToken).ConfigureAwait(false);

        var replayStart = content.CanSeek ? content.Position : -1;
        var sent = false;
        using var put = await SendAsync(HttpMethod.Put, WithDigest(location, digest), scopes, cancellationToken, () =>
        {
            if (chunked)
                return new ByteArrayContent([]);
            // A 401 mid-upload means sending the body again, which only a seekable stream allows.
            if (sent && replayStart < 0)
                throw RegistryErrors.Unauthorized(Registry, "it asked to authenticate again during an upload.");
            if (sent)
                content.Position = replayStart;
            sent = true;
            var body = new StreamContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = size;
            return body;
        }).ConfigureAwait(false);
        await EnsureSuccessAsync(put, what, "BlobUnknown", cancellationToken).ConfigureAwait(false);
        if (ManifestChecks.HeaderDigest(put) is { } stored && stored != digest)
            throw RegistryErrors.DigestMismatch(what, digest, stored);
        return BlobPushResult.Uploaded;
    }

    /// <summary>Lists a repository's tags, following Link pagination; <paramref name="pageSize"/> sets n=.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        var tags = new List<string>();
        var target = $"/v2/{repository}/tags/list" + (pageSize is { } n ? $"?n={n}" : "");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Add(target))
        {
            using var response = await SendAsync(HttpMethod.Get, target, Pull(repository), cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, repository, "NameUnknown", cancellationToken).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var page = await JsonSerializer.DeserializeAsync(stream, RegistryJsonContext.Default.TagList, cancellationToken).ConfigureAwait(false);
                tags.AddRange(page?.Tags ?? []);
            }
            catch (JsonException e)
            {
                throw new EngineException("RegistryError", EngineErrorKind.ExternalFailure, $"Registry {Registry} sent a malformed tag list for {repository}: {e.Message}", repository, e);
            }
            var links = response.Headers.NonValidated.TryGetValues("Link", out var values) ? values : default;
            if (LinkHeader.Next(links, response.RequestMessage!.RequestUri!) is not { } next)
                break;
            target = next.ToString();
        }
        return tags;
    }

    private async Task<Uri> PatchChunksAsync(Uri location, Stream content, long size, int chunkSize, IReadOnlyList<string> scopes, string what, CancellationToken cancellationToken)
    {
        var buffer = new byte[chunkSize];
        for (long offset = 0; offset < size;)
        {
            var length = await content.ReadAtLeastAsync(buffer.AsMemory(0, (int)Math.Min(chunkSize, size - offset)), (int)Math.Min(chunkSize, size - offset), throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (length == 0)
                throw new EngineException("SizeMismatch", EngineErrorKind.InvalidData, $"Blob {what} ended at byte {offset}; its size is {size}.", what);
            var range = $"{offset}-{offset + length - 1}";
            using var response = await SendAsync(HttpMethod.Patch, location.ToString(), scopes, cancellationToken, () =>
            {
                var chunk = new ByteArrayContent(buffer, 0, length);
                chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                // The distribution API's Content-Range has no "bytes " unit, unlike HTTP's.
                chunk.Headers.TryAddWithoutValidation("Content-Range", range);
                return chunk;
            }).ConfigureAwait(false);
            location = await UploadLocationAsync(response, what, cancellationToken).ConfigureAwait(false);
            offset += length;
        }
        return location;
    }

    private async Task<Uri> UploadLocationAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw await RegistryErrors.FromResponseAsync(response, Registry, what, "NameUnknown", cancellationToken).ConfigureAwait(false);
        return response.Headers.Location is { } location
            ? new Uri(response.RequestMessage!.RequestUri!, location)
            : throw new EngineException("RegistryError", EngineErrorKind.ExternalFailure, $"Registry {Registry} started an upload for {what} without saying where to send it.", what);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string target, IReadOnlyList<string> scopes, CancellationToken cancellationToken,
        Func<HttpContent>? content = null, IReadOnlyList<string>? accept = null, long rangeFrom = 0, bool? idempotent = null) =>
        _connection.SendAsync(new RegistryRequest
        {
            Method = method,
            Target = target,
            Scopes = scopes,
            Content = content,
            Accept = accept,
            RangeFrom = rangeFrom,
            Idempotent = idempotent ?? (method == HttpMethod.Get || method == HttpMethod.Head),
        }, cancellationToken);

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, string notFoundId, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
            throw await RegistryErrors.FromResponseAsync(response, Registry, what, notFoundId, cancellationToken).ConfigureAwait(false);
    }

    private static string WithDigest(Uri location, Digest digest) =>
        location + (string.IsNullOrEmpty(location.Query) ? "?" : "&") + "digest=" + Uri.EscapeDataString(digest.ToString());

    private static string ManifestPath(string repository, string reference) => $"/v2/{repository}/manifests/{reference}";

    private static string BlobPath(string repository, Digest digest) => $"/v2/{repository}/blobs/{digest}";

    private static string Describe(string repository, string reference) =>
        repository + (Digest.TryParse(reference, out _) ? "@" : ":") + reference;

    private static string[] Pull(string repository) => [$"repository:{repository}:pull"];

    private static string[] PushPull(string repository) => [$"repository:{repository}:pull,push"];

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();
}
