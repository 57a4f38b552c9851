using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Opens an interactive shell in a running container (like <c>docker exec -it</c>) on this terminal: keys,
/// Ctrl+C included, go to the container until the shell exits; the exit code lands in $LASTEXITCODE.
/// </summary>
[Cmdlet(VerbsCommon.Enter, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class EnterContainerCommand : ContainerExecCmdlet
{
    /// <summary>The program to run and its arguments (default: sh).</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = ["sh"];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Container, "Run " + string.Join(' ', Command) + " interactively")) return;
        try
        {
            var exitCode = new ContainerExec(Engine).RunInteractive(Container, Request(Command));
            SessionState.PSVariable.Set("LASTEXITCODE", exitCode);
        }
        catch (EngineException ex)
        {
            if (ex.Data["ExitCode"] is int code) SessionState.PSVariable.Set("LASTEXITCODE", code);
            WriteError(ToErrorRecord(ex, Container));
        }
    }
}
