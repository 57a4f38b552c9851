using System.Net;
using System.Text.Json;
using PSContainer.Engine.Content;

namespace PSContainer.Engine.Registry;

/// <summary>Builds the engine's registry errors, each with a stable ErrorId.</summary>
internal static class RegistryErrors
{
    private const int ErrorBodyLimit = 64 * 1024;

    /// <summary>The registry could not be reached at all.</summary>
    public static EngineException Unreachable(string host, Exception inner)
    {
        var hint = inner is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }
            ? $" If the registry uses a private CA, put its certificate in /etc/containers/certs.d/{host}/ca.crt; or mark the registry insecure."
            : "";
        return new("RegistryUnreachable", EngineErrorKind.ExternalFailure, $"Cannot reach registry {host}: {Describe(inner)}{hint}", host, inner);
    }

    /// <summary>The registry refused our credentials or has none for us.</summary>
    public static EngineException Unauthorized(string host, string detail) =>
        new("RegistryUnauthorized", EngineErrorKind.PermissionDenied, $"Registry {host} refused access: {detail}", host);

    /// <summary>Content did not hash to the digest it was asked for or announced with.</summary>
    public static EngineException DigestMismatch(string what, Digest expected, Digest actual) =>
        new("DigestMismatch", EngineErrorKind.InvalidData, $"{what} has digest {actual}, expected {expected}.", expected.ToString());

    /// <summary>A manifest exceeded the size any sane manifest has.</summary>
    public static EngineException ManifestTooLarge(string what, long limit) =>
        new("ManifestTooLarge", EngineErrorKind.InvalidData, $"Manifest {what} is larger than {limit} bytes.", what);

    /// <summary>A manifest has a type the engine does not read.</summary>
    public static EngineException UnsupportedMediaType(string what, string? mediaType) =>
        new("UnsupportedMediaType", EngineErrorKind.InvalidData,
            $"Manifest {what} has media type '{mediaType ?? "(none)"}'; only OCI and Docker schema 2 manifests and indexes are supported.", what);

    /// <summary>A manifest or index says two things about what it is, which the OCI specs forbid (CVE-2021-41190).</summary>
    public static EngineException ContradictoryManifest(string what, string reason) =>
        new("InvalidManifest", EngineErrorKind.InvalidData, $"Manifest {what} contradicts itself: {reason}; it is refused rather than read one way or the other.", what);

    /// <summary>A manifest or index failed to parse.</summary>
    public static EngineException InvalidManifest(string what, Exception inner) =>
        new("InvalidManifest", EngineErrorKind.InvalidData, $"Manifest {what} is malformed: {inner.Message}", what, inner);

    /// <summary>
    /// Turns an unsuccessful response into an error, using the registry's error code when it sent one and
    /// <paramref name="notFoundId"/> for a bare 404.
    /// </summary>
    public static async Task<EngineException> FromResponseAsync(HttpResponseMessage response, string host, string what, string notFoundId, CancellationToken cancellationToken)
    {
        var entry = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var detail = entry?.Message is { Length: > 0 } m ? m : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        var (id, kind) = (entry?.Code, response.StatusCode) switch
        {
            ("MANIFEST_UNKNOWN", _) => ("ManifestUnknown", EngineErrorKind.NotFound),
            ("BLOB_UNKNOWN", _) => ("BlobUnknown", EngineErrorKind.NotFound),
            ("NAME_UNKNOWN", _) => ("NameUnknown", EngineErrorKind.NotFound),
            ("UNAUTHORIZED" or "DENIED", _) or (_, HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) => ("RegistryUnauthorized", EngineErrorKind.PermissionDenied),
            ("TOOMANYREQUESTS", _) or (_, HttpStatusCode.TooManyRequests) => ("RegistryRateLimited", EngineErrorKind.ExternalFailure),
            (_, HttpStatusCode.NotFound) => (notFoundId, EngineErrorKind.NotFound),
            (_, HttpStatusCode.UnsupportedMediaType) => ("UnsupportedMediaType", EngineErrorKind.InvalidData),
            ({ } code, _) when (int)response.StatusCode < 500 => ("RegistryRejected", EngineErrorKind.InvalidData),
            _ => ("RegistryError", EngineErrorKind.ExternalFailure),
        };
        var codeText = entry?.Code is { } c ? $" ({c})" : "";
        return new EngineException(id, kind, $"Registry {host}: {what}: {detail}{codeText}", what);
    }

    private static async Task<RegistryErrorEntry?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[ErrorBodyLimit];
            var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var body = JsonSerializer.Deserialize(buffer.AsSpan(0, length), RegistryJsonContext.Default.RegistryErrorBody);
            return body?.Errors?.FirstOrDefault();
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            // A registry or proxy may answer with HTML or nothing; the status code then speaks for itself.
            return null;
        }
    }

    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
            if (!messages.Contains(current.Message))
                messages.Add(current.Message);
        return string.Join(" ", messages);
    }
}
