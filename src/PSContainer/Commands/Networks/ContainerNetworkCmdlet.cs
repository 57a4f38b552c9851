using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Networks;

/// <summary>A cmdlet that connects containers (by name or id, or piped ContainerInfo objects) to one network.</summary>
public abstract class ContainerNetworkCmdlet : EngineCmdlet
{
    /// <summary>The network's name or id.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(Completers.NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Network { get; set; } = "";

    /// <summary>Container names or ids.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "ByName")]
    [ArgumentCompleter(typeof(Completers.ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Container { get; set; } = [];

    /// <summary>Containers from Get-Container or New-Container.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public ContainerInfo[] InputObject { get; set; } = [];

    /// <summary>Write the updated container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Runs <paramref name="change"/> for each named container, writing the result with -PassThru.</summary>
    internal void ForEachContainer(string action, Func<string, ContainerRecord> change)
    {
        var keys = ParameterSetName == "ByObject" ? InputObject.Select(c => c.Id) : Container;
        foreach (var key in keys)
        {
            if (!ShouldProcess(key, action)) continue;
            TryEngine(() =>
            {
                var record = change(key);
                if (PassThru) WriteObject(ContainerInfo.From(record));
            }, key);
        }
    }
}
