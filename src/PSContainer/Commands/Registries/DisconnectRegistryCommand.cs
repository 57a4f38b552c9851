using System.Management.Automation;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;

namespace PSContainer.Commands.Registries;

/// <summary>Forgets a registry login (like <c>docker logout</c>), removing it from Docker's config.json.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Registry", SupportsShouldProcess = true)]
public sealed class DisconnectRegistryCommand : EngineCmdlet
{
    /// <summary>The registry: "127.0.0.1:5000", "ghcr.io"; Docker Hub when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = ImageReference.DockerHub;

    /// <summary>Touches only the login file: the local store is not opened, so neither root nor the engine is needed.</summary>
    protected override void BeginProcessing()
    {
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        TryEngine(() =>
        {
            var registry = RegistryLogin.Normalize(Registry);
            if (!ShouldProcess(registry, "Log out")) return;
            var store = RegistryCredentialStore.FromEnvironment();
            RegistryLogin.Logout(registry, store);
            WriteVerbose($"Removed the login for {registry} from {store.DockerConfigPath}.");
        }, Registry);
    }
}
