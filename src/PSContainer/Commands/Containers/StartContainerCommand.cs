using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Starts containers (like <c>docker start</c>).</summary>
[Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo), typeof(string))]
public sealed class StartContainerCommand : ContainerCmdlet
{
    /// <summary>Stream the container's output to the pipeline (stdout) and error stream (stderr) until it exits.</summary>
    [Parameter]
    [Alias("a")]
    public SwitchParameter Attach { get; set; }

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
            TryEngine(() =>
            {
                var started = Engine.Containers.Start(target.Id);
                if (Attach) LogStreaming.Stream(this, Engine, started, CancelToken);
                if (Attach || Wait) Engine.Containers.Wait(started.Id, CancelToken);
                if (PassThru) WriteObject(Describe(started.Id));
            }, target.Name);
        }
    }
}
