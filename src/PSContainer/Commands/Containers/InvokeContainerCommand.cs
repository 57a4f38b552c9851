using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Runs a container to completion (like <c>docker run --rm</c>): its stdout lines go to the pipeline, its
/// stderr lines to the error stream, and a non-zero exit code becomes an error carrying the code.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(ContainerCommandResult))]
public sealed class InvokeContainerCommand : ContainerCreationCmdlet
{
    /// <summary>Keep the container after it exits instead of removing it.</summary>
    [Parameter]
    public SwitchParameter Keep { get; set; }

    /// <summary>Write one result object (ExitCode, Output, Error) instead of the output lines.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Image, "Run container")) return;
        ContainerRecord? container = null;
        try
        {
            container = Engine.Containers.Create(Request());
            Engine.Containers.Start(container.Id);
            var output = new List<string>();
            var errors = new List<string>();
            if (PassThru)
            {
                var log = Engine.Containers.Store.PathsOf(container.Id).Log;
                foreach (var entry in ContainerLog.Read(log, follow: true, () => Engine.Containers.IsRunning(container.Id), CancelToken))
                    (entry.IsError ? errors : output).Add(entry.Text);
            }
            else
            {
                LogStreaming.Stream(this, Engine, container, CancelToken);
            }
            var exitCode = Engine.Containers.Wait(container.Id, CancelToken);
            SessionState.PSVariable.Set("LASTEXITCODE", exitCode);
            if (exitCode != 0)
            {
                var ex = new EngineException("ContainerExitedWithError", EngineErrorKind.ExternalFailure,
                    $"Container {container.Name} exited with code {exitCode}.", container.Name);
                ex.Data["ExitCode"] = exitCode;
                WriteError(ToErrorRecord(ex, exitCode));
            }
            if (PassThru)
                WriteObject(new ContainerCommandResult { Container = container.Name, Command = container.Command, ExitCode = exitCode, Output = output, Error = errors });
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
