using System.Collections;
using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>
/// Brings a compose application up (like <c>docker compose up -d</c>): creates its networks and volumes, pulls
/// its images, then creates and starts its containers in dependency order, waiting for depends_on conditions.
/// Run again, it changes only what changed.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ComposeProject", SupportsShouldProcess = true)]
[OutputType(typeof(ComposeProjectInfo))]
public sealed class StartComposeProjectCommand : ComposeCmdlet
{
    /// <summary>Compose files (merged in order) or a directory; the default is the compose file of the current directory or its parents.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>The project name; the default is the file's name: key, or the directory's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProjectName { get; set; }

    /// <summary>Only these services, and those they depend on.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <summary>Build images before starting containers.</summary>
    [Parameter]
    public SwitchParameter Build { get; set; }

    /// <summary>Pull images even when they are present.</summary>
    [Parameter]
    public SwitchParameter Pull { get; set; }

    /// <summary>Recreate containers even when their configuration is unchanged.</summary>
    [Parameter]
    public SwitchParameter ForceRecreate { get; set; }

    /// <summary>Keep existing containers even when their configuration changed.</summary>
    [Parameter]
    public SwitchParameter NoRecreate { get; set; }

    /// <summary>Container counts per service, such as @{ web = 3 }.</summary>
    [Parameter]
    public Hashtable? Scale { get; set; }

    /// <summary>Remove containers of services that are no longer in the files.</summary>
    [Parameter]
    public SwitchParameter RemoveOrphans { get; set; }

    /// <summary>Wait until the containers run (and are healthy, where they have a health check).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ForceRecreate && NoRecreate)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-ForceRecreate and -NoRecreate cannot be used together."),
                "ComposeRecreateConflict", ErrorCategory.InvalidArgument, null));
        try
        {
            var model = Load(Path, ProjectName, Service);
            if (!ShouldProcess(model.Name, "Start compose project")) return;
            var scale = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in Scale ?? new Hashtable())
            {
                var service = LanguagePrimitives.ConvertTo<string>(entry.Key);
                if (model.Service(service) is null)
                    throw new EngineException("ComposeServiceNotFound", EngineErrorKind.NotFound, $"-Scale names service '{service}', which the project does not have.", service);
                scale[service] = LanguagePrimitives.ConvertTo<int>(entry.Value);
                if (scale[service] < 0)
                    throw new EngineException("ComposeScaleInvalid", EngineErrorKind.InvalidArgument, $"-Scale for '{service}' must not be negative.", service);
            }
            var runner = Runner(model.Name);
            var info = runner.Up(model, new ComposeUpOptions
            {
                Services = Service ?? [],
                Build = Build,
                Pull = Pull,
                ForceRecreate = ForceRecreate,
                NoRecreate = NoRecreate,
                Scale = scale,
                RemoveOrphans = RemoveOrphans,
                Wait = Wait,
            }, CancelToken);
            CompleteProgress();
            WriteObject(info);
        }
        catch (EngineException ex)
        {
            CompleteProgress();
            ThrowEngine(ex);
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
