using System.Net;
using System.Net.Http.Headers;
using PSContainer.Engine.References;

namespace PSContainer.Engine.Registry;

/// <summary>
/// The request pipeline to one registry: finds whether it speaks HTTPS or (when allowed) HTTP by pinging
/// <c>/v2/</c>, authenticates, follows redirects (credentials only to the registry itself), and retries
/// idempotent requests with exponential backoff.
/// </summary>
internal sealed class RegistryConnection : IDisposable
{
    private const int MaxRedirects = 10;

    private readonly RegistryClientOptions _options;
    private readonly RegistryTransport _transport;
    private readonly RegistryAuthenticator _authenticator;
    private readonly SemaphoreSlim _probeLock = new(1, 1);
    private Uri? _baseUri;

    /// <summary>Creates the connection; nothing is sent until the first request.</summary>
    public RegistryConnection(string registry, RegistryClientOptions options)
    {
        Registry = registry;
        ApiHost = ImageReference.ApiHostFor(registry);
        _options = options;
        _transport = new RegistryTransport(options);
        var credential = options.Credential ?? options.CredentialStore.Get(registry);
        _authenticator = new RegistryAuthenticator(registry, credential, _transport, options.TimeProvider);
    }

    /// <summary>The registry name ("docker.io", "localhost:5000").</summary>
    public string Registry { get; }

    /// <summary>The host the API is served from.</summary>
    public string ApiHost { get; }

    /// <summary>Sends a request and returns the response, whatever its status; network failures become RegistryUnreachable.</summary>
    public async Task<HttpResponseMessage> SendAsync(RegistryRequest request, CancellationToken cancellationToken)
    {
        var baseUri = await GetBaseUriAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var authorization = await _authenticator.GetAuthorizationAsync(request.Scopes, cancellationToken).ConfigureAwait(false);
            var response = await SendWithRetriesAsync(request, baseUri, authorization, request.Idempotent, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
                return response;
            var challenges = Challenges(response);
            if (challenges.Count == 0)
                return response;
            response.Dispose();
            authorization = await _authenticator.AuthorizeAsync(challenges, request.Scopes, cancellationToken).ConfigureAwait(false);
            return await SendWithRetriesAsync(request, baseUri, authorization, request.Idempotent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw RegistryErrors.Unreachable(Registry, e);
        }
    }

    private async Task<Uri> GetBaseUriAsync(CancellationToken cancellationToken)
    {
        if (_baseUri is { } known)
            return known;
        await _probeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _baseUri ??= await ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _probeLock.Release();
        }
    }

    // Docker's order: HTTPS first; plain HTTP only for loopback or insecure registries, and only if HTTPS fails.
    private async Task<Uri> ProbeAsync(CancellationToken cancellationToken)
    {
        string[] schemes = RegistryEndpoint.AllowsPlainHttp(Registry, _options.InsecureRegistries) ? ["https", "http"] : ["https"];
        Exception? firstFailure = null;
        foreach (var scheme in schemes)
        {
            var candidate = new Uri(scheme + "://" + ApiHost + "/");
            var ping = new RegistryRequest { Method = HttpMethod.Get, Target = "/v2/", Scopes = [], Idempotent = scheme == schemes[^1] };
            try
            {
                using var response = await SendWithRetriesAsync(ping, candidate, null, ping.Idempotent, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    _authenticator.Remember(Challenges(response));
                    return candidate;
                }
                firstFailure ??= new HttpRequestException($"{candidate}v2/ answered HTTP {(int)response.StatusCode}, so it is not a registry API.");
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                firstFailure ??= e;
            }
        }
        throw RegistryErrors.Unreachable(Registry, firstFailure!);
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(RegistryRequest request, Uri baseUri, AuthenticationHeaderValue? authorization, bool retry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var last = !retry || attempt >= _options.MaxAttempts;
            HttpResponseMessage response;
            try
            {
                response = await SendFollowingRedirectsAsync(request, baseUri, authorization, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!last && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Backoff(attempt, null), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (last || !IsRetryable(response.StatusCode))
                return response;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            response.Dispose();
            await Task.Delay(Backoff(attempt, retryAfter), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(RegistryRequest request, Uri baseUri, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUri, request.Target);
        var followable = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
        for (var hop = 0; ; hop++)
        {
            var message = new HttpRequestMessage(request.Method, uri) { Content = request.Content?.Invoke() };
            // A blob may live on a CDN; the registry's credentials must not travel there.
            if (authorization is not null && IsSameOrigin(uri, baseUri))
                message.Headers.Authorization = authorization;
            foreach (var type in request.Accept ?? [])
                message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            if (request.RangeFrom > 0)
                message.Headers.Range = new RangeHeaderValue(request.RangeFrom, null);
            var response = await _transport.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (!followable || !IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
                return response;
            response.Dispose();
            var next = new Uri(uri, location);
            if (hop == MaxRedirects)
                throw new HttpRequestException($"More than {MaxRedirects} redirects from {request.Target}.");
            if (uri.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                throw new HttpRequestException($"Refusing a redirect from HTTPS to {next.Scheme}: {next.GetLeftPart(UriPartial.Path)}.");
            uri = next;
        }
    }

    private static IReadOnlyList<AuthChallenge> Challenges(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values)
            ? values.SelectMany(AuthChallenge.Parse).ToList()
            : [];

    private static bool IsSameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && a.Host.Equals(b.Host, StringComparison.OrdinalIgnoreCase);

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool IsRetryable(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    // A certificate that fails verification will fail the same way again; everything else on the wire may be transient.
    private static bool IsTransient(Exception e) =>
        e is IOException || e is HttpRequestException { HttpRequestError: not HttpRequestError.SecureConnectionError };

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        var jitter = exponential * (Random.Shared.NextDouble() * 0.2);
        var delay = exponential + jitter;
        return retryAfter is { } after && after > delay ? TimeSpan.FromTicks(Math.Min(after.Ticks, TimeSpan.FromMinutes(1).Ticks)) : delay;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _transport.Dispose();
        _probeLock.Dispose();
    }
}
