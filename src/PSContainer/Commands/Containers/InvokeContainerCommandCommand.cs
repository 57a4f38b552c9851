using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Runs a command in a running container (like <c>docker exec</c>): its stdout lines go to the pipeline, its
/// stderr lines to the error stream, pipeline input becomes its stdin, and a non-zero exit code becomes an
/// error carrying the code.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(ContainerCommandResult))]
public sealed class InvokeContainerCommandCommand : ContainerExecCmdlet
{
    private readonly List<string> _input = new();

    /// <summary>The program and its arguments.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>Lines for the command's stdin; each piped object becomes one line.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Write stderr lines to the pipeline with the stdout lines, as 2>&amp;1 would.</summary>
    [Parameter]
    public SwitchParameter MergeError { get; set; }

    /// <summary>Write one result object (ExitCode, Output, Error) instead of the output lines.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Collects stdin lines; the command runs once all input has arrived.</summary>
    protected override void ProcessRecord()
    {
        if (InputObject is not null) _input.Add(LanguagePrimitives.ConvertTo<string>(InputObject) ?? "");
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!ShouldProcess(Container, "Run " + string.Join(' ', Command))) return;
        var output = new List<string>();
        var errors = new List<string>();
        try
        {
            var exitCode = Engine.Exec.Run(Container, Request(Command), _input, (isError, line) =>
            {
                if (isError && !MergeError)
                {
                    if (PassThru) errors.Add(line);
                    else LogStreaming.Write(this, new ContainerLogEntry(DateTimeOffset.UtcNow, "stderr", line), Container);
                }
                else if (PassThru) output.Add(line);
                else WriteObject(line);
            }, CancelToken);
            SessionState.PSVariable.Set("LASTEXITCODE", exitCode);
            if (exitCode != 0)
            {
                var ex = new EngineException("ContainerCommandFailed", EngineErrorKind.ExternalFailure,
                    $"'{string.Join(' ', Command)}' exited with code {exitCode} in container {Container}.", Container);
                ex.Data["ExitCode"] = exitCode;
                WriteError(ToErrorRecord(ex, exitCode));
            }
            if (PassThru)
                WriteObject(new ContainerCommandResult { Container = Container, Command = Command, ExitCode = exitCode, Output = output, Error = errors });
        }
        catch (EngineException ex)
        {
            // A command that could not start still has an exit code, as in a shell (126, 127).
            if (ex.Data["ExitCode"] is int code) SessionState.PSVariable.Set("LASTEXITCODE", code);
            WriteError(ToErrorRecord(ex, Container));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
