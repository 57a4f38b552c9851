using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PSContainer.Engine.Registry;

/// <summary>
/// Certificate checks for registries: the system trust store first, then the CA certificates a registry has
/// in <c>certs.d/&lt;host[:port]&gt;/*.crt</c>, as Docker and Podman do. A host name mismatch is never forgiven.
/// </summary>
internal static class RegistryTrust
{
    /// <summary>Loads the extra CA certificates for one host from every directory that has some.</summary>
    public static X509Certificate2Collection LoadAuthorities(IEnumerable<string> baseDirectories, string hostKey)
    {
        var authorities = new X509Certificate2Collection();
        foreach (var baseDirectory in baseDirectories)
        {
            var directory = Path.Combine(baseDirectory, hostKey);
            if (!Directory.Exists(directory))
                continue;
            foreach (var file in Directory.EnumerateFiles(directory, "*.crt").Order(StringComparer.Ordinal))
                authorities.ImportFromPemFile(file);
        }
        return authorities;
    }

    /// <summary>Decides whether a server certificate is acceptable.</summary>
    public static bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection authorities, bool skipVerification)
    {
        if (errors == SslPolicyErrors.None || skipVerification)
            return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || authorities.Count == 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.ExtraStore.AddRange(authorities);
        if (chain is not null)
            foreach (var element in chain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
