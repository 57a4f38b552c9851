using System.Management.Automation;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>
/// Lists compose projects that have containers (like <c>docker compose ls</c>); with -Service, the services of
/// the projects with their containers (like <c>docker compose ps</c>). Projects pipe into Get-Container.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ComposeProject")]
[OutputType(typeof(ComposeProjectInfo), typeof(ComposeServiceInfo))]
public sealed class GetComposeProjectCommand : ComposeCmdlet
{
    /// <summary>Project names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.ComposeProjectNameCompleter))]
    [Alias("ProjectName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Write the projects' services instead (names with wildcards; "*" for all).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        TryEngine(() =>
        {
            var projects = new ComposeRunner(Engine.Containers, Engine.Networks, Engine.Volumes, Engine.Images, Engine.ImagePuller, Engine.Builder, _ => { }, WriteWarning).List();
            foreach (var pattern in Name ?? ["*"])
            {
                var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
                var matches = projects.Where(p => wildcard.IsMatch(p.Name)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    WriteError(new ErrorRecord(new ItemNotFoundException($"No compose project named '{pattern}' has containers."),
                        "ComposeProjectNotFound", ErrorCategory.ObjectNotFound, pattern));
                    continue;
                }
                foreach (var project in matches)
                {
                    if (Service is null)
                    {
                        WriteObject(project);
                        continue;
                    }
                    var services = Service.Select(s => WildcardPattern.Get(s, WildcardOptions.IgnoreCase)).ToList();
                    WriteObject(project.Services.Where(s => services.Any(w => w.IsMatch(s.Name))), enumerateCollection: true);
                }
            }
        });
    }
}
