using System.Management.Automation;
using PSContainer.Engine.Networks;

namespace PSContainer.Commands.Networks;

/// <summary>Removes networks (like <c>docker network rm</c>) with their bridges and leases; a network in use stays.</summary>
[Cmdlet(VerbsCommon.Remove, "Network", SupportsShouldProcess = true, DefaultParameterSetName = "ByName", ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveNetworkCommand : EngineCmdlet
{
    /// <summary>Network names or ids.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName")]
    [ArgumentCompleter(typeof(Completers.NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Networks from Get-Network or New-Network.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public NetworkInfo[] InputObject { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var keys = ParameterSetName == "ByObject" ? InputObject.Select(n => n.Name) : Name;
        foreach (var key in keys)
        {
            if (!ShouldProcess(key, "Remove network")) continue;
            TryEngine(() => Engine.Networks.Remove(key), key);
        }
    }
}
