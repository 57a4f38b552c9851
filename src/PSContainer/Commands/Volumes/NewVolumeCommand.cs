using System.Management.Automation;
using PSContainer.Engine.Volumes;
using PSContainer.Transformations;

namespace PSContainer.Commands.Volumes;

/// <summary>Creates a volume (like <c>docker volume create</c>); an existing volume of that name is returned as it is.</summary>
[Cmdlet(VerbsCommon.New, "Volume", SupportsShouldProcess = true)]
[OutputType(typeof(VolumeInfo))]
public sealed class NewVolumeCommand : EngineCmdlet
{
    /// <summary>The volume's name: letters, digits, '_', '.' and '-'. Generated (64 hex digits) when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Labels: "key=value" strings or a hashtable.</summary>
    [Parameter]
    [KeyValueTransformation]
    public string[]? Label { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name ?? "(generated name)", "Create volume")) return;
        var labels = (Label ?? []).Select(l => l.Split('=', 2)).GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Length > 1 ? g.Last()[1] : "", StringComparer.Ordinal);
        TryEngine(() =>
        {
            var record = Engine.Volumes.Create(Name, labels);
            WriteObject(Engine.Volumes.Describe(record, Engine.Volumes.Users(), withSize: false));
        }, Name);
    }
}
