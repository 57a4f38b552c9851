using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>Stops a compose project's containers, dependents first (like <c>docker compose stop</c>); they stay, to start again.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ComposeProject", SupportsShouldProcess = true)]
[OutputType(typeof(ComposeProjectInfo))]
public sealed class StopComposeProjectCommand : ComposeProjectCmdlet
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
            if (!ShouldProcess(name, "Stop compose project")) return;
            var runner = Runner(name);
            runner.Stop(name, model, Service ?? [], Timeout is { } t ? TimeSpan.FromSeconds(t) : null);
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
