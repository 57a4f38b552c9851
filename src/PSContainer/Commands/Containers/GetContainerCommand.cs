using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Lists containers (like <c>docker ps</c>). Without a name, id, status or -All only running and paused
/// containers are listed; naming containers finds them in any state.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Container", DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class GetContainerCommand : EngineCmdlet
{
    /// <summary>Names or ids; wildcards match names.</summary>
    [Parameter(Position = 0, ParameterSetName = "ByName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.ContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Container ids (full or unique prefix); binds from piped objects' Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ById", ValueFromPipelineByPropertyName = true)]
    [Alias("ContainerId")]
    public string[]? Id { get; set; }

    /// <summary>
    /// Containers from the pipeline: a ContainerInfo (refreshed), a NetworkInfo (the containers on the network)
    /// or a VolumeInfo (the containers that use the volume).
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "ByObject")]
    public object[]? InputObject { get; set; }

    /// <summary>Only containers in these states.</summary>
    [Parameter]
    public ContainerStatus[]? Status { get; set; }

    /// <summary>Only containers with these labels: "key" or "key=value".</summary>
    [Parameter]
    public string[]? Label { get; set; }

    /// <summary>Include stopped and created containers.</summary>
    [Parameter]
    [Alias("a")]
    public SwitchParameter All { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        TryEngine(() =>
        {
            var containers = Engine.Containers.List();
            var named = (Name is { Length: > 0 }) || ParameterSetName is "ById" or "ByObject";
            IEnumerable<ContainerRecord> selected = containers.OrderByDescending(c => c.Created);
            if (!All && !named && Status is null)
                selected = selected.Where(c => c.State.Status is ContainerStatus.Running or ContainerStatus.Paused);
            if (Status is not null)
                selected = selected.Where(c => Status.Contains(c.State.Status));
            foreach (var label in Label ?? [])
            {
                var parts = label.Split('=', 2);
                selected = selected.Where(c => c.Settings.Labels.TryGetValue(parts[0], out var value) && (parts.Length == 1 || value == parts[1]));
            }
            var list = selected.ToList();
            if (!named)
            {
                foreach (var c in list) WriteObject(ContainerInfo.From(c));
                return;
            }
            foreach (var key in (IEnumerable<string>?)Name ?? Id ?? (InputObject ?? []).SelectMany(Keys))
            {
                var matches = Match(list, key);
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(key))
                    WriteError(ToErrorRecord(new PSContainer.Engine.EngineException("ContainerNotFound", PSContainer.Engine.EngineErrorKind.NotFound, $"No such container: {key}", key), key));
                foreach (var c in matches) WriteObject(ContainerInfo.From(c));
            }
        });
    }

    // The containers a piped object stands for.
    private static IEnumerable<string> Keys(object piped) => (piped is PSObject wrapped ? wrapped.BaseObject : piped) switch
    {
        ContainerInfo container => [container.Id],
        PSContainer.Engine.Networks.NetworkInfo network => network.Containers,
        PSContainer.Engine.Volumes.VolumeInfo volume => volume.UsedBy,
        // Any other object names containers by its ContainerId (one or several, as a compose project's), else its
        // Id, else its Name property, as by-property binding would.
        _ => ByProperty(PSObject.AsPSObject(piped)),
    };

    private static IEnumerable<string> ByProperty(PSObject piped) =>
        piped.Properties["ContainerId"]?.Value switch
        {
            string one => [one],
            global::System.Collections.IEnumerable several => several.Cast<object>().Select(o => o.ToString() ?? ""),
            _ => [(piped.Properties["Id"]?.Value ?? piped.Properties["Name"]?.Value ?? piped.BaseObject).ToString() ?? ""],
        };

    private static List<ContainerRecord> Match(List<ContainerRecord> list, string key)
    {
        if (WildcardPattern.ContainsWildcardCharacters(key))
        {
            var pattern = new WildcardPattern(key, WildcardOptions.IgnoreCase);
            return list.Where(c => pattern.IsMatch(c.Name)).ToList();
        }
        var exact = list.Where(c => c.Name == key || c.Id == key).ToList();
        return exact.Count > 0 ? exact : list.Where(c => key.Length >= 3 && c.Id.StartsWith(key, StringComparison.Ordinal)).ToList();
    }
}
