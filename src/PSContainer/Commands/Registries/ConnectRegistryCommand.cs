using System.Management.Automation;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;

namespace PSContainer.Commands.Registries;

/// <summary>
/// Logs in to a registry (like <c>docker login</c>): the login is checked against the registry first, then stored
/// in Docker's config.json (mode 0600), where Docker, Podman and skopeo find it too.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Registry", SupportsShouldProcess = true)]
public sealed class ConnectRegistryCommand : EngineCmdlet
{
    /// <summary>The registry: "127.0.0.1:5000", "ghcr.io"; Docker Hub when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = ImageReference.DockerHub;

    /// <summary>The user name and password (or access token).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>Allow plain HTTP and an unverified TLS certificate for this registry (loopback registries may use HTTP anyway).</summary>
    [Parameter]
    public SwitchParameter Insecure { get; set; }

    /// <summary>Talks only to the registry and the login file: the local store is not opened, so neither root nor the engine is needed.</summary>
    protected override void BeginProcessing()
    {
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        TryEngine(() =>
        {
            var registry = RegistryLogin.Normalize(Registry);
            var credential = RegistryOptions.ToRegistryCredential(Credential)
                ?? throw new PSArgumentException("A user name and password are required.", nameof(Credential));
            if (!ShouldProcess(registry, $"Log in as {credential.Username}")) return;
            var options = RegistryOptions.ForRegistry(registry, null, Insecure);
            RegistryLogin.LoginAsync(registry, credential, options, CancelToken).GetAwaiter().GetResult();
            WriteVerbose($"Logged in to {registry} as {credential.Username}; the login is stored in {options.CredentialStore.DockerConfigPath}.");
        }, Registry);
    }
}
