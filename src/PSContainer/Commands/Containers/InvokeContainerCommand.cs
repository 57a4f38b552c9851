using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Runs a container to completion (like <c>docker run --rm</c>): its stdout lines go to the pipeline, its
/// stderr lines to the error stream, and a non-zero exit code becomes an error carrying the code.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommand : ContainerCreationCmdlet
{
    /// <summary>Keep the container after it exits instead of removing it.</summary>
    [Parameter]
    public SwitchParameter Keep { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Image, "Run container")) return;
        if (RestartPolicy is not null && !Keep)
        {
            // As docker run --rm --restart: a container removed after its run cannot be restarted.
            WriteError(ToErrorRecord(new EngineException("RestartPolicyWithAutoRemove", EngineErrorKind.InvalidArgument,
                "Invoke-Container removes the container after its run; -RestartPolicy needs -Keep.", RestartPolicy), RestartPolicy));
            return;
        }
        ContainerRecord? container = null;
        try
        {
            container = Engine.Containers.Create(Request());
            Engine.Containers.Start(container.Id);
            LogStreaming.Stream(this, Engine, container, CancelToken);
            var exitCode = Engine.Containers.Wait(container.Id, CancelToken);
            SessionState.PSVariable.Set("LASTEXITCODE", exitCode);
            if (exitCode != 0)
            {
                var ex = new EngineException("ContainerExitedWithError", EngineErrorKind.ExternalFailure,
                    $"Container {container.Name} exited with code {exitCode}.", container.Name);
                ex.Data["ExitCode"] = exitCode;
                WriteError(ToErrorRecord(ex, exitCode));
            }
        }
        catch (EngineException ex)
        {
            WriteError(ToErrorRecord(ex, Image));
        }
        finally
        {
            if (container is not null && !Keep)
            {
                try { Engine.Containers.Remove(container.Id, force: true, removeVolumes: true); }
                catch (EngineException ex) { WriteError(ToErrorRecord(ex, container.Name)); }
            }
        }
    }
}
