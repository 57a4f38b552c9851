using System.Management.Automation;
using PSContainer.Engine.Volumes;

namespace PSContainer.Commands.Volumes;

/// <summary>
/// Removes volumes and their data (like <c>docker volume rm</c>); a volume a container uses needs -Force.
/// -Unused removes every volume no container uses (like <c>docker volume prune --all</c>).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Volume", SupportsShouldProcess = true, DefaultParameterSetName = "ByName", ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveVolumeCommand : EngineCmdlet
{
    /// <summary>Volume names; wildcards match.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.VolumeNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Volumes from Get-Volume or New-Volume.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ByObject", ValueFromPipeline = true)]
    public VolumeInfo[] InputObject { get; set; } = [];

    /// <summary>Remove every volume that no container uses, in any state.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Unused")]
    public SwitchParameter Unused { get; set; }

    /// <summary>Remove volumes even while containers use them.</summary>
    [Parameter(ParameterSetName = "ByName")]
    [Parameter(ParameterSetName = "ByObject")]
    [Alias("f")]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (Unused)
        {
            if (!ShouldProcess("every volume no container uses", "Remove volumes")) return;
            TryEngine(() =>
            {
                foreach (var removed in Engine.Volumes.Prune())
                    WriteVerbose($"Removed volume {removed.Name}");
            });
            return;
        }
        foreach (var name in Targets())
        {
            if (!ShouldProcess(name, "Remove volume")) continue;
            TryEngine(() => Engine.Volumes.Remove(name, Force), name);
        }
    }

    private IEnumerable<string> Targets()
    {
        if (ParameterSetName == "ByObject")
            return InputObject.Select(v => v.Name);
        var names = new List<string>();
        List<VolumeRecord>? all = null;
        foreach (var key in Name)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(key))
            {
                names.Add(key);
                continue;
            }
            var pattern = new WildcardPattern(key, WildcardOptions.IgnoreCase);
            TryEngine(() => all ??= Engine.Volumes.List(), key);
            names.AddRange((all ?? []).Where(v => pattern.IsMatch(v.Name)).Select(v => v.Name));
        }
        return names.Distinct(StringComparer.Ordinal);
    }
}
