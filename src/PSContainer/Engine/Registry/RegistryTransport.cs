using System.Collections.Concurrent;
using System.Net;

namespace PSContainer.Engine.Registry;

/// <summary>
/// One HTTP handler per origin, because certificate trust is per host and port (certs.d is keyed so) and a
/// validation callback is told neither. Redirects are not followed here: the connection follows them itself
/// so that it can drop credentials when a redirect leaves the registry.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly RegistryClientOptions _options;
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the transport.</summary>
    public RegistryTransport(RegistryClientOptions options) => _options = options;

    /// <summary>Sends a request to whatever origin its URI names, returning once the headers are in.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var client = _clients.GetOrAdd(uri.Scheme + "://" + uri.Authority, _ => Create(uri));
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The key certs.d and the insecure list use: "host" on the default port, else "host:port".</summary>
    public static string HostKey(Uri uri) => uri.IsDefaultPort ? uri.Host : uri.Authority;

    private HttpClient Create(Uri origin)
    {
        var hostKey = HostKey(origin);
        var authorities = RegistryTrust.LoadAuthorities(_options.CertificateDirectories, hostKey);
        var skipVerification = _options.InsecureRegistries.Contains(hostKey);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Layers are already compressed and must be hashed exactly as stored.
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            RegistryTrust.Validate(certificate, chain, errors, authorities, skipVerification);
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
        _clients.Clear();
    }
}
