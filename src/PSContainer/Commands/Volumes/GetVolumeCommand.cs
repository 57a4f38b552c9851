using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Volumes;

namespace PSContainer.Commands.Volumes;

/// <summary>Lists volumes (like <c>docker volume ls</c>), with the containers that use them.</summary>
[Cmdlet(VerbsCommon.Get, "Volume")]
[OutputType(typeof(VolumeInfo))]
public sealed class GetVolumeCommand : EngineCmdlet
{
    /// <summary>Volume names; wildcards match.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.VolumeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only volumes no container uses.</summary>
    [Parameter]
    public SwitchParameter Dangling { get; set; }

    /// <summary>Only volumes with these labels: "key" or "key=value".</summary>
    [Parameter]
    public string[]? Label { get; set; }

    /// <summary>Add up each volume's files into Size (walks every file, so it is off by default).</summary>
    [Parameter]
    public SwitchParameter Size { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        TryEngine(() =>
        {
            var users = Engine.Volumes.Users();
            IEnumerable<VolumeRecord> selected = Engine.Volumes.List().OrderBy(v => v.Name, StringComparer.Ordinal);
            if (Dangling)
                selected = selected.Where(v => !users.ContainsKey(v.Name));
            foreach (var label in Label ?? [])
            {
                var parts = label.Split('=', 2);
                selected = selected.Where(v => v.Labels.TryGetValue(parts[0], out var value) && (parts.Length == 1 || value == parts[1]));
            }
            var list = selected.ToList();
            if (Name is not { Length: > 0 })
            {
                foreach (var v in list) WriteObject(Engine.Volumes.Describe(v, users, Size));
                return;
            }
            foreach (var key in Name)
            {
                var pattern = new WildcardPattern(key, WildcardOptions.IgnoreCase);
                var matches = WildcardPattern.ContainsWildcardCharacters(key)
                    ? list.Where(v => pattern.IsMatch(v.Name)).ToList()
                    : list.Where(v => v.Name == key).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(key))
                    WriteError(ToErrorRecord(new EngineException("VolumeNotFound", EngineErrorKind.NotFound, $"No such volume: {key}", key), key));
                foreach (var v in matches) WriteObject(Engine.Volumes.Describe(v, users, Size));
            }
        });
    }
}
