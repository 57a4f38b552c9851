using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands;

/// <summary>A cmdlet that acts on containers named by -Name (wildcards), -Id, or piped ContainerInfo objects.</summary>
public abstract class ContainerCmdlet : EngineCmdlet
{
    /// <summary>Container names or ids; wildcards match names. Binds from piped strings and from the Name property of piped objects (Import-Csv rows).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Container")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.ContainerNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Container ids; binds from the Id property of piped objects.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>Containers from Get-Container or New-Container.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public ContainerInfo[] InputObject { get; set; } = [];

    /// <summary>The containers this call names, each resolved to its id; unknown names become errors.</summary>
    internal IEnumerable<ContainerRecord> Targets()
    {
        IEnumerable<string> keys = ParameterSetName switch
        {
            "ById" => Id,
            "ByObject" => InputObject.Select(c => c.Id),
            _ => Name,
        };
        foreach (var key in keys)
        {
            if (WildcardPattern.ContainsWildcardCharacters(key))
            {
                var pattern = new WildcardPattern(key, WildcardOptions.IgnoreCase);
                foreach (var match in Engine.Containers.List().Where(c => pattern.IsMatch(c.Name)))
                    yield return match;
                continue;
            }
            ContainerRecord? record = null;
            try
            {
                record = Engine.Containers.Find(key);
            }
            catch (EngineException ex)
            {
                WriteError(ToErrorRecord(ex, key));
            }
            if (record is not null) yield return record;
        }
    }

    /// <summary>The current view of a container for output.</summary>
    internal ContainerInfo Describe(string id) => ContainerInfo.From(Engine.Containers.Find(id));
}
