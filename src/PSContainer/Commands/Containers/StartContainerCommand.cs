using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Starts containers (like <c>docker start</c>).</summary>
[Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo), typeof(string))]
public sealed class StartContainerCommand : ContainerCmdlet
{
    /// <summary>Stream the container's output to the pipeline (stdout) and error stream (stderr, as a native command's) until it exits; its exit code lands in $LASTEXITCODE.</summary>
    [Parameter]
    [Alias("a")]
    public SwitchParameter Attach { get; set; }

    /// <summary>
    /// With -Attach on a container created with -Tty: connect this terminal to it. Keys, Ctrl+C included, go
    /// to the container; the detach keys (default ctrl-p,ctrl-q) leave it running.
    /// </summary>
    [Parameter]
    [Alias("i")]
    public SwitchParameter Interactive { get; set; }

    /// <summary>The keys that detach the terminal with -Attach -Interactive, in Docker's notation.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DetachKeys { get; set; } = global::PSContainer.Engine.Containers.DetachKeys.Default;

    /// <summary>Wait for the container to exit; with -PassThru the object then shows the exit code.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Write the container object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, "Start container")) continue;
            if (Attach && Interactive && !target.Settings.Tty)
                WriteWarning($"Container {target.Name} has no terminal (-Tty); -Interactive attaches only to terminal containers, so its output is streamed from its log.");
            TryEngine(() =>
            {
                ContainerRecord started;
                var detached = false;
                if (Attach && Interactive && target.Settings.Tty)
                {
                    (started, detached) = ConsoleAttachment.StartAttached(Engine.Containers, target.Id, DetachKeys, CancelToken);
                }
                else
                {
                    started = Engine.Containers.Start(target.Id);
                    if (Attach) LogStreaming.Stream(this, Engine, started, CancelToken);
                }
                if ((Attach || Wait) && !detached)
                    SetLastExitCode(Engine.Containers.Wait(started.Id, CancelToken));
                if (PassThru) WriteObject(Describe(started.Id));
            }, target.Name);
        }
    }
}
