using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Runs a command in a running container (like <c>docker exec</c>): its stdout lines go to the pipeline
/// (or, byte for byte, to -OutFile or as byte[] chunks with -AsByteStream), its stderr lines to the error
/// stream as a native command's, pipeline input or -InputFile becomes its stdin, and a non-zero exit code
/// becomes an error carrying the code. Everything after <c>--</c> is the command, verbatim.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(string), typeof(byte[]), typeof(ContainerCommandResult))]
public sealed class InvokeContainerCommandCommand : ContainerExecCmdlet
{
    private readonly MemoryStream _input = new();
    private bool _checked;

    /// <summary>The program and its arguments. Arguments that start with '-' go after '--'.</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true, ParameterSetName = "ByName")]
    [Parameter(Position = 0, ValueFromRemainingArguments = true, ParameterSetName = "ById")]
    [Parameter(ValueFromRemainingArguments = true, ParameterSetName = "ByObject")]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>
    /// The command's stdin, from the pipeline: byte[] and bytes pass as they are (Get-Content -AsByteStream),
    /// anything else becomes one line of text.
    /// </summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = "ByName")]
    [Parameter(ValueFromPipeline = true, ParameterSetName = "ById")]
    [Alias("Stdin")]
    public object? StandardInput { get; set; }

    /// <summary>A file whose bytes become the command's stdin.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InputFile { get; set; }

    /// <summary>Write stdout, byte for byte, to this file instead of the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Write stdout as byte[] chunks, as they arrive, instead of text lines.</summary>
    [Parameter]
    public SwitchParameter AsByteStream { get; set; }

    /// <summary>Write stderr lines to the pipeline with the stdout lines, as 2>&amp;1 would.</summary>
    [Parameter]
    public SwitchParameter MergeError { get; set; }

    /// <summary>Write one result object (ExitCode, Output, Error) instead of the output lines.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Collects stdin; the command runs once all input has arrived.</summary>
    protected override void ProcessRecord()
    {
        if (!_checked)
        {
            _checked = true;
            CheckCommandLine(nameof(Command));
            if (OutFile is not null && AsByteStream)
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-OutFile and -AsByteStream both take stdout: choose one."), "OutFileWithByteStream", ErrorCategory.InvalidArgument, OutFile));
            if (InputFile is not null && MyInvocation.ExpectingInput && ParameterSetName != "ByObject")
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("Stdin comes from -InputFile or from the pipeline, not both."), "InputFileWithPipeline", ErrorCategory.InvalidArgument, InputFile));
        }
        switch (StandardInput is PSObject wrapped ? wrapped.BaseObject : StandardInput)
        {
            case null:
                break;
            case ContainerInfo piped:
                // `Get-Container web | Invoke-ContainerCommand -- hostname` binds "hostname" as the container.
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                    $"A piped container takes its command from -Command: Get-Container {piped.Name} | Invoke-ContainerCommand -Command {string.Join(' ', Name.Length > 0 ? [Name, .. Command] : Command)}"),
                    "PipedContainerNeedsCommand", ErrorCategory.InvalidArgument, piped));
                break;
            case { } input:
                ExecStreams.Append(_input, input);
                break;
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var target = Target;
        if (!ShouldProcess(TargetName, "Run " + string.Join(' ', Command))) return;
        var output = new List<string>();
        var errors = new List<string>();
        FileStream? outFile = null;
        Stream? input = null;
        try
        {
            input = InputFile is not null ? ExecStreams.OpenInput(this, InputFile) : _input.Length > 0 ? new MemoryStream(_input.ToArray()) : null;
            if (OutFile is not null) outFile = ExecStreams.CreateOutput(this, OutFile);
            Action<byte[]>? bytes = outFile is not null ? b => outFile.Write(b) : AsByteStream ? b => WriteObject(b, enumerateCollection: false) : null;
            var exitCode = Engine.Exec.Run(target, Request(Command), input, (isError, line) =>
            {
                if (isError && !MergeError)
                {
                    if (PassThru) errors.Add(line);
                    else StandardError.Write(this, line, TargetName);
                }
                else if (PassThru) output.Add(line);
                else WriteObject(line);
            }, bytes, CancelToken);
            SetLastExitCode(exitCode);
            if (exitCode != 0)
            {
                var ex = new EngineException("ContainerCommandFailed", EngineErrorKind.ExternalFailure,
                    $"'{string.Join(' ', Command)}' exited with code {exitCode} in container {TargetName}.", TargetName);
                ex.Data["ExitCode"] = exitCode;
                WriteError(ToErrorRecord(ex, exitCode));
            }
            if (PassThru)
                WriteObject(new ContainerCommandResult { Container = TargetName, Command = Command, ExitCode = exitCode, Output = output, Error = errors });
        }
        catch (EngineException ex)
        {
            // A command that could not start still has an exit code, as in a shell (126, 127).
            if (ex.Data["ExitCode"] is int code) SetLastExitCode(code);
            WriteError(ToErrorRecord(ex, TargetName));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            input?.Dispose();
            outFile?.Dispose();
        }
    }
}
