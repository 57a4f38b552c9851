using System.Management.Automation;
using PSContainer.Engine.Registry;

namespace PSContainer.Commands;

/// <summary>Registry client options from the common -Credential and -Insecure parameters.</summary>
internal static class RegistryOptions
{
    /// <summary>Options for talking to <paramref name="registry"/>.</summary>
    public static RegistryClientOptions For(string registry, PSCredential? credential, bool insecure)
    {
        var options = new RegistryClientOptions();
        if (credential is not null)
            options.Credential = new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password);
        if (insecure) options.InsecureRegistries.Add(registry);
        return options;
    }
}
