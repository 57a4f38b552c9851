using System.Management.Automation;
using PSContainer.Engine.Networks;

namespace PSContainer.Commands.Networks;

/// <summary>Lists networks (like <c>docker network ls</c>); the default network "bridge" is always there.</summary>
[Cmdlet(VerbsCommon.Get, "Network", DefaultParameterSetName = "ByName")]
[OutputType(typeof(NetworkInfo))]
public sealed class GetNetworkCommand : EngineCmdlet
{
    /// <summary>Network names (wildcards allowed) or ids.</summary>
    [Parameter(Position = 0, ParameterSetName = "ByName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.NetworkNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Network ids; binds from the Id property of piped objects.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    public string[]? Id { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var keys = (IEnumerable<string>?)Name ?? Id;
        if (keys is null)
        {
            TryEngine(() => WriteObject(Engine.Networks.List(), enumerateCollection: true));
            return;
        }
        foreach (var key in keys)
        {
            if (WildcardPattern.ContainsWildcardCharacters(key))
            {
                var pattern = new WildcardPattern(key, WildcardOptions.IgnoreCase);
                TryEngine(() => WriteObject(Engine.Networks.List().Where(n => pattern.IsMatch(n.Name)), enumerateCollection: true), key);
                continue;
            }
            TryEngine(() => WriteObject(Engine.Networks.Get(key)), key);
        }
    }
}
