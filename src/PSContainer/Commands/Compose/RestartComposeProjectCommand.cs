using System.Management.Automation;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>Restarts a compose project's containers (like <c>docker compose restart</c>): stops them, dependents first, and starts them in dependency order.</summary>
[Cmdlet(VerbsLifecycle.Restart, "ComposeProject", SupportsShouldProcess = true)]
[OutputType(typeof(ComposeProjectInfo))]
public sealed class RestartComposeProjectCommand : ComposeLifecycleCmdlet
{
    private protected override string Action => "Restart compose project";

    private protected override void Act(ComposeRunner runner, string name, ComposeModel? model, IReadOnlyCollection<string> services, TimeSpan? timeout) =>
        runner.Restart(name, model, services, timeout);
}
