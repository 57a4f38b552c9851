using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Runs a container to completion (like <c>docker run --rm</c>): its stdout lines go to the pipeline (or,
/// byte for byte, to -OutFile or as byte[] chunks with -AsByteStream), its stderr lines to the error stream
/// as a native command's, pipeline input or -InputFile becomes its stdin, and a non-zero exit code becomes
/// an error carrying the code. Everything after <c>--</c> is the command, verbatim.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(byte[]), typeof(ContainerCommandResult))]
public sealed class InvokeContainerCommand : ContainerCreationCmdlet
{
    private readonly MemoryStream _input = new();
    private bool _imageOnCommandLine;

    /// <summary>Keep the container after it exits instead of removing it.</summary>
    [Parameter]
    public SwitchParameter Keep { get; set; }

    /// <summary>
    /// The container's stdin, from the pipeline (with the image named on the command line): byte[] and bytes
    /// pass as they are, anything else becomes one line of text.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    [Alias("Stdin")]
    public object? StandardInput { get; set; }

    /// <summary>A file whose bytes become the container's stdin.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InputFile { get; set; }

    /// <summary>Write stdout, byte for byte, to this file instead of the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Write stdout as byte[] chunks instead of text lines.</summary>
    [Parameter]
    public SwitchParameter AsByteStream { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (OutFile is not null && AsByteStream)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-OutFile and -AsByteStream both take stdout: choose one."), "OutFileWithByteStream", ErrorCategory.InvalidArgument, OutFile));
        // A piped image binds to -Image and -StandardInput alike; input is stdin only when the image is named.
        _imageOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Image));
    }

    /// <summary>Write one result object (ExitCode, Output, Error) instead of the output lines.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!_imageOnCommandLine)
        {
            Run(InputFile is null ? null : ExecStreams.OpenInput(this, InputFile));
            return;
        }
        switch (StandardInput is PSObject wrapped ? wrapped.BaseObject : StandardInput)
        {
            case null or ImageInfo:
                break;
            case { } input:
                ExecStreams.Append(_input, input);
                break;
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!_imageOnCommandLine) return;
        Run(InputFile is not null ? ExecStreams.OpenInput(this, InputFile)
            : MyInvocation.ExpectingInput ? new MemoryStream(_input.ToArray()) : null);
    }

    private void Run(Stream? input)
    {
        using var _ = input;
        if (!ShouldProcess(Image, "Run container")) return;
        if (RestartPolicy is not null && !Keep)
        {
            // As docker run --rm --restart: a container removed after its run cannot be restarted.
            WriteError(ToErrorRecord(new EngineException("RestartPolicyWithAutoRemove", EngineErrorKind.InvalidArgument,
                "Invoke-Container removes the container after its run; -RestartPolicy needs -Keep.", RestartPolicy), RestartPolicy));
            return;
        }
        ContainerRecord? container = null;
        FileStream? outFile = null;
        try
        {
            if (OutFile is not null) outFile = ExecStreams.CreateOutput(this, OutFile);
            var request = Request();
            if (input is not null)
            {
                request.Settings.Interactive = true;
                request.Settings.StdinOnce = true;
            }
            container = Engine.Containers.Create(request);
            var output = new List<string>();
            var errors = new List<string>();
            ConsoleAttachment? stdin = null;
            Task? feeding = null;
            try
            {
                Engine.Containers.Start(container.Id, input is null ? null : paths => stdin = ConsoleAttachment.Connect(paths.Dir));
                if (stdin is not null) feeding = Task.Run(() => stdin.Feed(input!));
                if (PassThru)
                {
                    var log = Engine.Containers.Store.PathsOf(container.Id).Log;
                    foreach (var entry in ContainerLog.Read(log, follow: true, () => Engine.Containers.IsRunning(container.Id), CancelToken))
                        (entry.IsError ? errors : output).Add(entry.Text);
                }
                else if (outFile is not null) LogStreaming.StreamBytes(this, Engine, container, b => outFile.Write(b), CancelToken);
                else if (AsByteStream) LogStreaming.StreamBytes(this, Engine, container, b => WriteObject(b, enumerateCollection: false), CancelToken);
                else LogStreaming.Stream(this, Engine, container, CancelToken);
            }
            finally
            {
                feeding?.Wait();
                stdin?.Dispose();
            }
            var exitCode = Engine.Containers.Wait(container.Id, CancelToken);
            SetLastExitCode(exitCode);
            if (exitCode != 0)
            {
                var ex = new EngineException("ContainerCommandFailed", EngineErrorKind.ExternalFailure,
                    $"Container {container.Name} exited with code {exitCode}.", container.Name);
                ex.Data["ExitCode"] = exitCode;
                WriteError(ToErrorRecord(ex, exitCode));
            }
            if (PassThru)
                WriteObject(new ContainerCommandResult { Container = container.Name, Command = container.Command, ExitCode = exitCode, Output = output, Error = errors });
        }
        catch (EngineException ex)
        {
            // A command that could not start still has an exit code, as in a shell (126, 127).
            if (ex.Data["ExitCode"] is int code) SetLastExitCode(code);
            WriteError(ToErrorRecord(ex, Image));
        }
        finally
        {
            outFile?.Dispose();
            if (container is not null && !Keep)
            {
                try { Engine.Containers.Remove(container.Id, force: true, removeVolumes: true); }
                catch (EngineException ex) { WriteError(ToErrorRecord(ex, container.Name)); }
            }
        }
    }
}
