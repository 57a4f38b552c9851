using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Runs a container's healthcheck once, now, records the result in its health (as a scheduled probe would)
/// and writes it (like <c>podman healthcheck run</c>).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ContainerHealth", DefaultParameterSetName = "ByName")]
[OutputType(typeof(HealthCheckResult), typeof(bool))]
public sealed class TestContainerHealthCommand : ContainerCmdlet
{
    /// <summary>Write only $true when the probe passed, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            TryEngine(() =>
            {
                var checker = new HealthChecker(Engine.Layout, Engine.Containers, Engine.Exec);
                var (probe, health, becameUnhealthy) = checker.Probe(target.Id, CancelToken);
                if (becameUnhealthy && target.Settings.Healthcheck is { } config) checker.Act(target.Id, config.Action);
                if (Quiet)
                    WriteObject(probe.ExitCode == 0);
                else
                    WriteObject(new HealthCheckResult { Name = target.Name, Id = target.Id, Status = health.Status, FailingStreak = health.FailingStreak, Probe = probe });
            }, target.Name);
        }
    }
}
