using System.Management.Automation;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;

namespace PSContainer.Commands.Registries;

/// <summary>Turns the registry cmdlets' -Credential and -Insecure into client options.</summary>
internal static class RegistryOptions
{
    /// <summary>
    /// Options for talking to <paramref name="registry"/>: <paramref name="credential"/> instead of the stored login
    /// when given, and with <paramref name="insecure"/> plain HTTP or an unverified certificate allowed for it.
    /// </summary>
    public static RegistryClientOptions ForRegistry(string registry, PSCredential? credential, bool insecure)
    {
        var options = new RegistryClientOptions { Credential = ToRegistryCredential(credential) };
        if (insecure)
            options.InsecureRegistries.Add(registry);
        return options;
    }

    /// <summary>Options for the registry an image reference names; a malformed reference is left for the engine to report.</summary>
    public static RegistryClientOptions ForReference(string reference, PSCredential? credential, bool insecure) =>
        ImageReference.TryParse(reference, out var parsed)
            ? ForRegistry(parsed.Registry, credential, insecure)
            : new RegistryClientOptions { Credential = ToRegistryCredential(credential) };

    /// <summary>The login in a PSCredential; null for none. The password leaves its SecureString only here.</summary>
    public static RegistryCredential? ToRegistryCredential(PSCredential? credential) =>
        credential is null || credential == PSCredential.Empty
            ? null
            : new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password);
}
