using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>Restarts a compose project's containers (like <c>docker compose restart</c>): stops them, dependents first, and starts them in dependency order.</summary>
[Cmdlet(VerbsLifecycle.Restart, "ComposeProject", SupportsShouldProcess = true)]
[OutputType(typeof(ComposeProjectInfo))]
public sealed class RestartComposeProjectCommand : ComposeProjectCmdlet
{
    /// <summary>Only these services' containers.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    /// <summary>Seconds to wait after the stop signal before killing; the default is each container's own.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Write the project afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        try
        {
            var (name, model) = Target();
            if (!ShouldProcess(name, "Restart compose project")) return;
            var runner = Runner(name);
            runner.Stop(name, model, Service ?? [], Timeout is { } t ? TimeSpan.FromSeconds(t) : null);
            runner.StartExisting(name, model, Service ?? []);
            CompleteProgress();
            if (PassThru) WriteObject(runner.Get(name, model));
        }
        catch (EngineException ex)
        {
            CompleteProgress();
            WriteError(ToErrorRecord(ex, Name));
        }
    }
}
