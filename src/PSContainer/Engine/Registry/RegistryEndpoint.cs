using System.Net;

namespace PSContainer.Engine.Registry;

/// <summary>Decides which registries may be spoken to without TLS.</summary>
internal static class RegistryEndpoint
{
    /// <summary>Whether a host name or address ("localhost", "127.0.0.1", "[::1]") is this machine.</summary>
    public static bool IsLoopback(string host)
    {
        var bare = host.Trim('[', ']');
        return bare.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
               (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>
    /// Whether plain HTTP may be tried after HTTPS fails: for loopback hosts and for registries the user marked
    /// insecure, as Docker does. <paramref name="registry"/> is "host[:port]".
    /// </summary>
    public static bool AllowsPlainHttp(string registry, ISet<string> insecureRegistries) =>
        insecureRegistries.Contains(registry) ||
        (Uri.TryCreate("https://" + registry, UriKind.Absolute, out var uri) && IsLoopback(uri.Host));
}
