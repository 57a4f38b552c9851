using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Opens an interactive shell in a running container (like <c>docker exec -it</c>) on this terminal: keys,
/// Ctrl+C included, go to the container until the shell exits (its exit code lands in $LASTEXITCODE) or
/// the detach keys leave it running.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(void))]
public sealed class EnterContainerCommand : ContainerExecCmdlet
{
    /// <summary>The program to run and its arguments (default: sh). Arguments that start with '-' go after '--'.</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true, ParameterSetName = "ByName")]
    [Parameter(Position = 0, ValueFromRemainingArguments = true, ParameterSetName = "ById")]
    [Parameter(ValueFromRemainingArguments = true, ParameterSetName = "ByObject")]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = ["sh"];

    /// <summary>The keys that detach the terminal and leave the process running, in Docker's notation.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DetachKeys { get; set; } = global::PSContainer.Engine.Containers.DetachKeys.Default;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        CheckCommandLine(nameof(Command));
        if (!ShouldProcess(TargetName, "Run " + string.Join(' ', Command) + " interactively")) return;
        try
        {
            var (detached, exitCode, pid) = Engine.Exec.RunInteractive(Target, Request(Command), DetachKeys, CancelToken);
            if (detached) Host.UI.WriteLine($"Detached from container {TargetName}; '{Command[0]}' keeps running (pid {pid}).");
            else SetLastExitCode(exitCode);
        }
        catch (EngineException ex)
        {
            if (ex.Data["ExitCode"] is int code) SetLastExitCode(code);
            WriteError(ToErrorRecord(ex, TargetName));
        }
    }
}
