namespace PSContainer.Engine.Registry;

/// <summary>How a <see cref="RegistryClient"/> connects, authenticates and retries.</summary>
internal sealed class RegistryClientOptions
{
    /// <summary>The directories Docker and Podman keep per-registry CA certificates in (<c>&lt;dir&gt;/&lt;host[:port]&gt;/*.crt</c>).</summary>
    public static readonly IReadOnlyList<string> DefaultCertificateDirectories = ["/etc/containers/certs.d", "/etc/docker/certs.d"];

    /// <summary>The login to use; when null, the one in <see cref="CredentialStore"/>, else anonymous.</summary>
    public RegistryCredential? Credential { get; set; }

    /// <summary>Where logins are looked up.</summary>
    public RegistryCredentialStore CredentialStore { get; set; } = RegistryCredentialStore.FromEnvironment();

    /// <summary>
    /// Registries ("host[:port]") whose TLS certificate is not verified and that may be spoken to over plain
    /// HTTP, like Docker's insecure-registries. Loopback hosts may use plain HTTP without being listed.
    /// </summary>
    public ISet<string> InsecureRegistries { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Directories searched for per-registry CA certificates, in addition to the system trust store.</summary>
    public IReadOnlyList<string> CertificateDirectories { get; set; } = DefaultCertificateDirectories;

    /// <summary>Attempts for an idempotent request that fails with 5xx, 429 or a dropped connection.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry delay; each further one doubles it.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The clock that token lifetimes are measured with.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The User-Agent header sent with every request.</summary>
    public string UserAgent { get; set; } = "PSContainer/" + typeof(RegistryClientOptions).Assembly.GetName().Version?.ToString(3);
}
