namespace PSContainer.Engine.Registry;

/// <summary>One logical registry request; the connection may send it several times (auth, redirects, retries).</summary>
internal sealed class RegistryRequest
{
    /// <summary>The HTTP method.</summary>
    public required HttpMethod Method { get; init; }

    /// <summary>A path under the registry ("/v2/…") or an absolute URL the registry handed out (upload locations, links).</summary>
    public required string Target { get; init; }

    /// <summary>The token scopes the request needs, such as "repository:app:pull".</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Media types for the Accept header.</summary>
    public IReadOnlyList<string>? Accept { get; init; }

    /// <summary>Makes the body afresh for each send; null for no body.</summary>
    public Func<HttpContent>? Content { get; init; }

    /// <summary>Asks for the content from this byte offset on (Range: bytes=N-).</summary>
    public long RangeFrom { get; init; }

    /// <summary>Whether sending twice is harmless, so failures may be retried.</summary>
    public bool Idempotent { get; init; }
}
