using PSContainer.Engine.References;

namespace PSContainer.Engine.Registry;

/// <summary>Logging in to and out of registries, like <c>docker login</c> and <c>docker logout</c>.</summary>
internal static class RegistryLogin
{
    /// <summary>
    /// The registry a user typed, as logins are filed: "https://index.docker.io/v1/" and "index.docker.io" are
    /// "docker.io"; a scheme and path are dropped ("https://host:5000/v2/" is "host:5000").
    /// </summary>
    public static string Normalize(string registry)
    {
        var text = registry.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
            text = text[(schemeEnd + 3)..];
        var slash = text.IndexOf('/');
        if (slash >= 0)
            text = text[..slash];
        if (text.Length == 0 || !Uri.TryCreate("https://" + text + "/", UriKind.Absolute, out var uri) ||
            uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0)
            throw new EngineException("InvalidRegistry", EngineErrorKind.InvalidArgument, $"'{registry}' is not a registry (host or host:port).", registry);
        return text is "index.docker.io" or "registry-1.docker.io" ? References.ImageReference.DockerHub : text;
    }

    /// <summary>
    /// Checks the login against the registry, then files it in the credential store of <paramref name="options"/>.
    /// Nothing is written when the registry refuses it.
    /// </summary>
    public static async Task LoginAsync(string registry, RegistryCredential credential, RegistryClientOptions options, CancellationToken cancellationToken)
    {
        options.Credential = credential;
        using (var client = new RegistryClient(registry, options))
            await client.VerifyLoginAsync(cancellationToken).ConfigureAwait(false);
        options.CredentialStore.Save(registry, credential);
    }

    /// <summary>Forgets the login for a registry; throws NotLoggedIn when there is none to forget.</summary>
    public static void Logout(string registry, RegistryCredentialStore store)
    {
        if (!store.Remove(registry))
            throw new EngineException("NotLoggedIn", EngineErrorKind.NotFound, $"Not logged in to {registry} (no login in {store.DockerConfigPath}).", registry);
    }
}
