using System.Management.Automation;
using PSContainer.Engine.Volumes;

namespace PSContainer.Commands.Volumes;

/// <summary>
/// Removes volumes and their data (like <c>docker volume rm</c>); a volume a container uses needs -Force.
/// -Unused removes the anonymous volumes no container uses, and with -All the named ones too (like
/// <c>docker volume prune [--all]</c>); it lists them under -WhatIf and asks first unless -Force.
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

    /// <summary>Remove the anonymous volumes no container uses, in any state (docker volume prune).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Unused")]
    public SwitchParameter Unused { get; set; }

    /// <summary>With -Unused: named volumes too, not only anonymous ones (docker volume prune --all).</summary>
    [Parameter(ParameterSetName = "Unused")]
    [Alias("a")]
    public SwitchParameter All { get; set; }

    /// <summary>Remove volumes even while containers use them; with -Unused, do not ask first.</summary>
    [Parameter]
    [Alias("f")]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (Unused)
        {
            List<VolumeRecord> unused = [];
            if (!TryEngine(() => unused = Engine.Volumes.Unused(includeNamed: All))) return;
            var chosen = unused.Where(v => ShouldProcess(v.Name, "Remove unused volume")).ToList();
            if (chosen.Count == 0) return;
            var listing = string.Join(", ", chosen.Select(v => v.Name));
            if (!Force && !ShouldContinue($"Remove {chosen.Count} unused volume(s) and their data: {listing}?", "Remove unused volumes")) return;
            foreach (var volume in chosen)
                if (TryEngine(() => { if (Engine.Volumes.RemoveIfUnused(volume.Name)) WriteVerbose($"Removed volume {volume.Name}"); }, volume.Name)) { }
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
