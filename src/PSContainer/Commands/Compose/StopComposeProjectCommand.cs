using System.Management.Automation;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>Stops a compose project's containers, dependents first (like <c>docker compose stop</c>); they stay, to start again.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ComposeProject", SupportsShouldProcess = true)]
[OutputType(typeof(ComposeProjectInfo))]
public sealed class StopComposeProjectCommand : ComposeLifecycleCmdlet
{
    private protected override string Action => "Stop compose project";

    private protected override void Act(ComposeRunner runner, string name, ComposeModel? model, IReadOnlyCollection<string> services, TimeSpan? timeout) =>
        runner.Stop(name, model, services, timeout);
}
