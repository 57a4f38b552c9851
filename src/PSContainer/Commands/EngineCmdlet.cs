using System.Collections.Concurrent;
using System.Management.Automation;
using PSContainer.Engine;

namespace PSContainer.Commands;

/// <summary>The base of every PSContainer cmdlet: opens the engine and turns engine failures into ErrorRecords.</summary>
public abstract class EngineCmdlet : PSCmdlet
{
    private ContainerEngine? _engine;
    private CancellationTokenSource? _stopping;

    /// <summary>The engine, opened on first use.</summary>
    internal ContainerEngine Engine => _engine ??= ContainerEngine.Open(EngineOptions.FromEnvironment());

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    protected CancellationToken CancelToken => (_stopping ??= new CancellationTokenSource()).Token;

    /// <summary>Cancels long waits when the pipeline stops.</summary>
    protected override void StopProcessing() => _stopping?.Cancel();

    /// <summary>Runs <paramref name="action"/>, reporting an engine failure as a non-terminating error.</summary>
    protected bool TryEngine(Action action, object? target = null)
    {
        try
        {
            action();
            return true;
        }
        catch (EngineException ex)
        {
            WriteError(ToErrorRecord(ex, target));
            return false;
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>
    /// Waits on the pipeline thread for asynchronous engine work, writing the progress records that
    /// <paramref name="toRecord"/> makes of its reports: the work reports from other threads, and Write-Progress
    /// works only from this one. <paramref name="toRecord"/> returns null for reports not worth showing.
    /// The work gets <see cref="CancelToken"/>.
    /// </summary>
    protected T RunWithProgress<T, TProgress>(Func<Action<TProgress>, CancellationToken, Task<T>> work, Func<TProgress, ProgressRecord?> toRecord)
    {
        var cancel = CancelToken;
        // Not disposed: after Ctrl+C the work may still report while it notices the cancellation.
        var reports = new BlockingCollection<TProgress>();
        var task = Task.Run(async () =>
        {
            try
            {
                return await work(reports.Add, cancel).ConfigureAwait(false);
            }
            finally
            {
                reports.CompleteAdding();
            }
        });
        foreach (var report in reports.GetConsumingEnumerable(cancel))
            if (toRecord(report) is { } record)
                WriteProgress(record);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Sets $LASTEXITCODE where PowerShell sets it for native commands: in the global scope.</summary>
    protected void SetLastExitCode(int exitCode) => SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);

    /// <summary>Reports an engine failure as a terminating error.</summary>
    protected void ThrowEngine(EngineException ex, object? target = null) => ThrowTerminatingError(ToErrorRecord(ex, target));

    /// <summary>The ErrorRecord for an engine failure.</summary>
    internal static ErrorRecord ToErrorRecord(EngineException ex, object? target) =>
        new(ex, ex.ErrorId, Category(ex.Kind), target ?? ex.Target);

    private static ErrorCategory Category(EngineErrorKind kind) => kind switch
    {
        EngineErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        EngineErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        EngineErrorKind.AlreadyExists => ErrorCategory.ResourceExists,
        EngineErrorKind.InvalidState => ErrorCategory.InvalidOperation,
        EngineErrorKind.NotInstalled => ErrorCategory.NotInstalled,
        EngineErrorKind.InvalidData => ErrorCategory.InvalidData,
        EngineErrorKind.ExternalFailure => ErrorCategory.NotSpecified,
        EngineErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        EngineErrorKind.Timeout => ErrorCategory.OperationTimeout,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>Opens the engine or stops the command with a clear error.</summary>
    protected override void BeginProcessing()
    {
        try
        {
            _ = Engine;
        }
        catch (EngineException ex)
        {
            ThrowEngine(ex);
        }
    }
}
