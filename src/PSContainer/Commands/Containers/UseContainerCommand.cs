using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Interop;
using PSContainer.Transformations;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Runs a script block with a throwaway container (as Testcontainers does): creates and starts it, waits until
/// it is ready, passes the ContainerInfo to the block, writes the block's output, and removes the container
/// with its anonymous volumes however the block ends — normally, by an exception (which reaches the caller
/// unchanged), by -ErrorAction Stop, by Ctrl+C or by <c>break</c>. A session that is killed meanwhile leaves the
/// container to the next Get-Container or Use-Container, which removes it.
/// </summary>
[Cmdlet(VerbsOther.Use, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(PSObject))]
public sealed class UseContainerCommand : ContainerCreationCmdlet
{
    // One pipeline, as a steppable pipeline must be; its arguments are evaluated when it is made, so the inner
    // block takes them as parameters. It sets the preference -ErrorAction asked for in a scope of its own, so
    // that the caller's block sees it as it would inside an advanced function.
    private const string Runner =
        "param($Block, $Container, $ErrorAction) " +
        "& { param($__PSContainerBlock, $__PSContainerInfo, $__PSContainerErrorAction) " +
        "if ($null -ne $__PSContainerErrorAction) { $ErrorActionPreference = $__PSContainerErrorAction }; " +
        "& $__PSContainerBlock $__PSContainerInfo } $Block $Container $ErrorAction";

    /// <summary>The code that uses the container; it gets the ContainerInfo as its first argument (<c>param($c)</c>).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>The command and its arguments; replaces the image's CMD. Named only: the second position is the script block.</summary>
    [Parameter]
    public override string[]? Command { get; set; }

    /// <summary>
    /// When the container is ready: Running (the default); Healthy; <c>Port, &lt;n&gt;</c> (a TCP port listens
    /// inside the container); <c>Log, &lt;regex&gt;</c> (a log line matches); <c>Command, &lt;program&gt;, &lt;argument&gt;…</c>
    /// (the command exits with 0 in the container). A hashtable (<c>@{ Port = 80 }</c>) or a bare port number works too.
    /// </summary>
    [Parameter]
    [ReadyConditionTransformation]
    [ArgumentCompleter(typeof(Completers.ReadyConditionCompleter))]
    [ValidateNotNull]
    public ReadyCondition WaitFor { get; set; } = ReadyCondition.Running;

    /// <summary>How long to wait for -WaitFor before an error: a TimeSpan, Docker's "30s", or seconds. Default: 60 seconds.</summary>
    [Parameter]
    [DurationTransformation]
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Leave the container in place when the block (or the wait) fails or is stopped, and say how to reach it.</summary>
    [Parameter]
    public SwitchParameter KeepOnFailure { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Image, "Run a script block with a throwaway container")) return;
        // A session killed while it used a container left it behind; this is a good moment to remove it.
        TryEngine(Engine.Containers.RemoveAbandoned);
        var request = Request();
        request.Owner = ProcessIdentity.Current();
        ContainerRecord container;
        try
        {
            container = Engine.Containers.Create(request);
        }
        catch (EngineException ex)
        {
            ThrowEngine(ex, Image);
            return;
        }
        var succeeded = false;
        try
        {
            var ready = Ready(container);
            InvokeBlock(ContainerInfo.From(ready));
            succeeded = true;
        }
        finally
        {
            if (!succeeded && KeepOnFailure) Keep(container);
            else Discard(container, succeeded);
        }
    }

    /// <summary>Starts the container and waits for -WaitFor; a failure stops the command with the container's last log lines.</summary>
    private ContainerRecord Ready(ContainerRecord container)
    {
        try
        {
            Engine.Containers.Start(container.Id);
            return Engine.Waiter.WaitFor(container.Id, WaitFor, WaitTimeout, CancelToken);
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (EngineException ex)
        {
            var tail = LastLogLines(container.Id, 5);
            var detailed = tail.Count == 0 ? ex
                : new EngineException(ex.ErrorId, ex.Kind, ex.Message + " Its last log lines:" + string.Concat(tail.Select(l => global::System.Environment.NewLine + "  " + l)), ex.Target, ex);
            ThrowEngine(detailed, container.Name);
            throw; // Not reached: ThrowEngine throws.
        }
    }

    /// <summary>
    /// Runs the block as a steppable pipeline bound to this command: its output and errors stream to this
    /// command's, Ctrl+C stops it, and whatever ends it (throw, break, a stopped pipeline) passes through unchanged.
    /// </summary>
    private void InvokeBlock(ContainerInfo info)
    {
        object? errorAction = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var preference) ? preference : null;
        var pipeline = ScriptBlock.Create(Runner).GetSteppablePipeline(CommandOrigin.Internal, [ScriptBlock, info, errorAction]);
        try
        {
            pipeline.Begin(this);
            pipeline.End();
        }
        finally
        {
            pipeline.Dispose();
        }
    }

    /// <summary>Removes the container and its anonymous volumes; problems are reported without hiding what ended the block.</summary>
    private void Discard(ContainerRecord container, bool succeeded)
    {
        try
        {
            Engine.Containers.Remove(container.Id, force: true, removeVolumes: true);
        }
        catch (EngineException ex) when (ex.Kind == EngineErrorKind.NotFound)
        {
            // The block removed it itself.
        }
        catch (EngineException ex)
        {
            if (succeeded) WriteError(ToErrorRecord(ex, container.Name));
            else Tell($"Could not remove container {container.Name}: {ex.Message}");
        }
    }

    /// <summary>-KeepOnFailure: the container outlives this session, and the user learns how to reach it.</summary>
    private void Keep(ContainerRecord container)
    {
        try
        {
            Engine.Containers.Disown(container.Id);
        }
        catch (EngineException)
        {
            // Gone already (the block removed it): nothing to keep.
            return;
        }
        Tell($"Kept container {container.Name} ({container.Id[..12]}) for inspection: Get-ContainerLog {container.Name}; " +
             $"Invoke-ContainerCommand {container.Name} -- sh; Enter-Container {container.Name}. Remove it with: Remove-Container {container.Name} -Force");
    }

    /// <summary>
    /// A warning that must not replace what is ending the block: on a stopped pipeline (or when the warning
    /// stream would stop the command) it goes straight to the host.
    /// </summary>
    private void Tell(string message)
    {
        if (!Stopping)
        {
            try
            {
                WriteWarning(message);
                return;
            }
            catch (Exception ex) when (ex is ActionPreferenceStopException or PipelineStoppedException)
            {
                // -WarningAction Stop: the exception in flight goes on; the host still shows the warning.
            }
        }
        try
        {
            Host.UI.WriteWarningLine(message);
        }
        catch (Exception ex) when (ex is global::System.Management.Automation.Host.HostException or NotImplementedException or PipelineStoppedException)
        {
            // A host without a UI: the exception in flight says enough.
        }
    }

    private List<string> LastLogLines(string id, int count)
    {
        try
        {
            var log = Engine.Containers.Store.PathsOf(id).Log;
            return ContainerLog.Read(log, follow: false, () => false, CancellationToken.None).TakeLast(count).Select(e => e.Text).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
