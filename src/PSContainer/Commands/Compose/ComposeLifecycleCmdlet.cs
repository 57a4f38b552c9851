using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>The base of Stop- and Restart-ComposeProject: the same targets and options, one runner call apart.</summary>
public abstract class ComposeLifecycleCmdlet : ComposeProjectCmdlet
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

    /// <summary>What ShouldProcess names the action ("Stop compose project").</summary>
    private protected abstract string Action { get; }

    /// <summary>The runner call the cmdlet stands for.</summary>
    private protected abstract void Act(ComposeRunner runner, string name, ComposeModel? model, IReadOnlyCollection<string> services, TimeSpan? timeout);

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        try
        {
            var (name, model) = Target();
            if (!ShouldProcess(name, Action)) return;
            var runner = Runner(name);
            Act(runner, name, model, Service ?? [], Timeout is { } t ? TimeSpan.FromSeconds(t) : null);
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
