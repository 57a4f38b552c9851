using System.Management.Automation;
using PSContainer.Commands.Registries;
using PSContainer.Engine;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Images;

/// <summary>Lists the tags of a repository in a registry.</summary>
[Cmdlet(VerbsCommon.Find, "Image")]
[OutputType(typeof(RemoteImageTag))]
public sealed class FindImageCommand : EngineCmdlet
{
    /// <summary>Repositories, such as "127.0.0.1:5000/busybox" or "alpine"; a ":pattern" suffix keeps the matching tags ("alpine:3.*").</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [Alias("Repository")]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>The login to use instead of the one Connect-Registry stored.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Allow plain HTTP and an unverified TLS certificate for this registry (loopback registries may use HTTP anyway).</summary>
    [Parameter]
    public SwitchParameter Insecure { get; set; }

    /// <summary>Asks only the registry: the local store is not opened, so neither root nor the engine is needed.</summary>
    protected override void BeginProcessing()
    {
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            var (repository, pattern) = SplitTagPattern(name);
            TryEngine(() =>
            {
                var options = RegistryOptions.ForReference(repository, Credential, Insecure);
                var tags = ImageFinder.ListTagsAsync(repository, options, CancelToken).GetAwaiter().GetResult();
                if (pattern is null)
                {
                    WriteObject(tags, enumerateCollection: true);
                    return;
                }
                var wildcard = new WildcardPattern(pattern, WildcardOptions.None);
                var matches = tags.Where(t => wildcard.IsMatch(t.Tag)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                    throw new EngineException("TagNotFound", EngineErrorKind.NotFound, $"Repository {repository} has no tag '{pattern}'.", name);
                WriteObject(matches, enumerateCollection: true);
            }, name);
        }
    }

    // A tag follows the last ':' after the last '/'; a ':' before it belongs to the registry's port.
    private static (string Repository, string? Pattern) SplitTagPattern(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? (name[..colon], name[(colon + 1)..]) : (name, null);
    }
}
