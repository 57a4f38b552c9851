using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.System;

/// <summary>
/// The boot entry point, doing what dockerd does when it starts: reconciles the store after a reboot, then
/// starts every container whose restart policy brings it back (always; unless-stopped unless the user
/// stopped it; on-failure when its last run failed). Idempotent: it starts containers once per boot.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ContainerEngine", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerInfo))]
public sealed class StartContainerEngineCommand : EngineCmdlet
{
    /// <summary>Write the containers it started.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!ShouldProcess("container engine", "Reconcile the store and start the containers a restart policy brings back")) return;
        TryEngine(() =>
        {
            var (started, failures) = new ContainerBoot(Engine.Layout, Engine.Containers).Run();
            foreach (var failure in failures) WriteError(ToErrorRecord(failure, failure.Target));
            foreach (var record in started)
            {
                WriteVerbose($"Started {record.Name} (restart policy {RestartPolicy.Parse(record.Settings.RestartPolicy)}).");
                if (PassThru) WriteObject(ContainerInfo.From(record));
            }
        });
    }
}
