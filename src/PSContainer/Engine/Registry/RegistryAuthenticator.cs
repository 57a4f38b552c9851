using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PSContainer.Engine.Registry;

/// <summary>
/// Answers a registry's challenges. Bearer tokens come from the challenge's realm, anonymously or with the
/// login as Basic auth, and are cached per scope set until shortly before they expire; Basic challenges are
/// answered with the login directly. Once a registry has challenged, later requests authenticate up front.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private const int MinimumTokenSeconds = 60;
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(5);

    private readonly string _registry;
    private readonly RegistryCredential? _credential;
    private readonly RegistryTransport _transport;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private volatile AuthChallenge? _challenge;

    /// <summary>Creates the authenticator for one registry.</summary>
    public RegistryAuthenticator(string registry, RegistryCredential? credential, RegistryTransport transport, TimeProvider time)
    {
        _registry = registry;
        _credential = credential;
        _transport = transport;
        _time = time;
    }

    /// <summary>Records how the registry wants to be authenticated, preferring Bearer over Basic.</summary>
    public void Remember(IReadOnlyList<AuthChallenge> challenges)
    {
        var preferred = challenges.FirstOrDefault(c => c.IsBearer && c.Realm is not null) ?? challenges.FirstOrDefault(c => c.IsBasic);
        if (preferred is not null)
            _challenge = preferred;
    }

    /// <summary>The Authorization to send up front for these scopes, or null before any challenge.</summary>
    public async Task<AuthenticationHeaderValue?> GetAuthorizationAsync(IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var challenge = _challenge;
        if (challenge is null)
            return null;
        if (challenge.IsBasic)
            return _credential is null ? null : new AuthenticationHeaderValue("Basic", _credential.ToBasic());
        return await GetTokenAsync(challenge, scopes, refresh: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a 401's challenges; throws RegistryUnauthorized when they cannot be answered.</summary>
    public async Task<AuthenticationHeaderValue> AuthorizeAsync(IReadOnlyList<AuthChallenge> challenges, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        Remember(challenges);
        var challenge = _challenge ?? throw RegistryErrors.Unauthorized(_registry, "it asks for an authentication scheme other than Bearer or Basic.");
        if (challenge.IsBasic)
            return _credential is null
                ? throw RegistryErrors.Unauthorized(_registry, "it requires a login (Connect-Registry).")
                : new AuthenticationHeaderValue("Basic", _credential.ToBasic());
        var wanted = challenge.Scope is { } extra ? scopes.Append(extra).ToList() : scopes;
        return await GetTokenAsync(challenge, wanted, refresh: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue> GetTokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, bool refresh, CancellationToken cancellationToken)
    {
        var scopeSet = scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var key = challenge.Realm + "\n" + challenge.Service + "\n" + string.Join(" ", scopeSet);
        var now = _time.GetUtcNow();
        if (!refresh && _tokens.TryGetValue(key, out var cached) && cached.Expires > now)
            return new AuthenticationHeaderValue("Bearer", cached.Token);

        var (token, lifetime) = await FetchTokenAsync(challenge, scopeSet, cancellationToken).ConfigureAwait(false);
        _tokens[key] = (token, now + lifetime - ExpiryMargin);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(AuthChallenge challenge, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
            throw RegistryErrors.Unauthorized(_registry, $"its token realm '{challenge.Realm}' is not an HTTP(S) URL.");
        var query = new List<string>();
        if (challenge.Service is { } service)
            query.Add("service=" + Uri.EscapeDataString(service));
        query.AddRange(scopes.Select(s => "scope=" + Uri.EscapeDataString(s)));
        var builder = new UriBuilder(realm);
        builder.Query = string.Join("&", query.Prepend(builder.Query.TrimStart('?')).Where(q => q.Length > 0));

        var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (_credential is not null)
        {
            if (realm.Scheme == "http" && !RegistryEndpoint.IsLoopback(realm.Host))
                throw RegistryErrors.Unauthorized(_registry, $"its token server {realm.Authority} is plain HTTP; a password will not be sent there.");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _credential.ToBasic());
        }
        HttpResponseMessage response;
        try
        {
            response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw RegistryErrors.Unreachable(realm.Authority, e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw RegistryErrors.Unauthorized(_registry, _credential is null
                    ? "its token server refuses anonymous access; log in with Connect-Registry."
                    : $"its token server rejected the login for '{_credential.Username}'.");
            if (!response.IsSuccessStatusCode)
                throw await RegistryErrors.FromResponseAsync(response, realm.Authority, "token", "RegistryError", cancellationToken).ConfigureAwait(false);
            TokenResponse? body;
            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                body = await JsonSerializer.DeserializeAsync(stream, RegistryJsonContext.Default.TokenResponse, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw RegistryErrors.Unauthorized(_registry, $"its token server sent a malformed answer: {e.Message}");
            }
            var token = body?.Token is { Length: > 0 } t ? t : body?.AccessToken;
            if (string.IsNullOrEmpty(token))
                throw RegistryErrors.Unauthorized(_registry, "its token server sent no token.");
            return (token, TimeSpan.FromSeconds(Math.Max(body!.ExpiresIn ?? MinimumTokenSeconds, MinimumTokenSeconds)));
        }
    }
}
