using System.Globalization;
using System.Text.RegularExpressions;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Waits until a container is ready by a <see cref="ReadyCondition"/>: it runs, a port listens inside its
/// network namespace, a log line matches, or a command succeeds in it. A container that stops first, or a
/// timeout, ends the wait with an error that says what was last found.
/// </summary>
internal sealed class ContainerWaiter
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    // An exec costs a runtime call and a process; probing more often only loads the machine.
    private static readonly TimeSpan CommandInterval = TimeSpan.FromMilliseconds(250);
    private readonly ContainerManager _containers;
    private readonly ContainerExec _exec;

    public ContainerWaiter(ContainerManager containers, ContainerExec exec)
    {
        _containers = containers;
        _exec = exec;
    }

    /// <summary>Blocks until <paramref name="condition"/> holds and returns the container as it then is.</summary>
    /// <param name="idOrName">The container.</param>
    /// <param name="condition">What to wait for.</param>
    /// <param name="timeout">How long to wait before a WaitTimeout error; null waits until <paramref name="cancel"/>.</param>
    /// <param name="cancel">Ctrl+C.</param>
    public ContainerRecord WaitFor(string idOrName, ReadyCondition condition, TimeSpan? timeout, CancellationToken cancel)
    {
        var record = _containers.Find(idOrName);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (timeout is { } span) limit.CancelAfter(span);
        var found = "";
        try
        {
            switch (condition.Kind)
            {
                case ReadyKind.Running:
                    return Poll(record, condition, _ => true, PollInterval, limit.Token);
                case ReadyKind.Healthy:
                    return _containers.WaitFor(record.Id, WaitCondition.Healthy, limit.Token);
                case ReadyKind.Port:
                    return Poll(record, condition, current =>
                    {
                        var sockets = ProcNetSockets.Read("/proc", current.State.Pid).Where(s => s.Protocol == "tcp").ToList();
                        found = DescribePorts(sockets);
                        return sockets.Any(s => s.Port == condition.Port);
                    }, PollInterval, limit.Token);
                case ReadyKind.Log:
                    return WaitForLog(record, condition, limit.Token, last => found = last);
                default:
                    return Poll(record, condition, current =>
                    {
                        var (code, detail) = Probe(current, condition.Command, limit.Token);
                        found = $"the last attempt exited with code {code.ToString(CultureInfo.InvariantCulture)}{detail}";
                        return code == 0;
                    }, CommandInterval, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested && limit.IsCancellationRequested)
        {
            throw new EngineException("WaitTimeout", EngineErrorKind.Timeout,
                $"Container {record.Name} was not ready within {Seconds(timeout)}: waited until {condition}" + (found.Length > 0 ? $"; {found}." : "."), record.Name);
        }
    }

    /// <summary>"listening: 22/tcp, 80/tcp" or "nothing listens", for messages.</summary>
    internal static string DescribePorts(IEnumerable<ListeningSocket> sockets)
    {
        var ports = sockets.Select(s => s.Port).Distinct().Order().Select(p => p.ToString(CultureInfo.InvariantCulture) + "/tcp").ToList();
        return ports.Count == 0 ? "nothing listens on TCP" : "listening: " + string.Join(", ", ports);
    }

    /// <summary>The first entry whose text matches <paramref name="pattern"/>; <paramref name="seen"/> gets each line looked at.</summary>
    internal static ContainerLogEntry? FirstMatch(IEnumerable<ContainerLogEntry> entries, Regex pattern, Action<ContainerLogEntry> seen)
    {
        foreach (var entry in entries)
        {
            seen(entry);
            if (pattern.IsMatch(entry.Text)) return entry;
        }
        return null;
    }

    private ContainerRecord WaitForLog(ContainerRecord record, ReadyCondition condition, CancellationToken cancel, Action<string> found)
    {
        var log = _containers.Store.PathsOf(record.Id).Log;
        var entries = ContainerLog.Read(log, follow: true, () => _containers.IsRunning(record.Id), cancel);
        var match = FirstMatch(entries, condition.Pattern!, entry => found($"its last log line was '{entry.Text}'"));
        cancel.ThrowIfCancellationRequested();
        if (match is not null) return _containers.Find(record.Id);
        throw Exited(_containers.Find(record.Id), condition);
    }

    /// <summary>Checks <paramref name="ready"/> while the container runs, until it holds, the container stops, or the wait is cancelled.</summary>
    private ContainerRecord Poll(ContainerRecord record, ReadyCondition condition, Func<ContainerRecord, bool> ready, TimeSpan interval, CancellationToken cancel)
    {
        while (true)
        {
            record = _containers.Find(record.Id);
            // Created: somebody may start it yet; Paused: it may be resumed.
            if (record.State.Status == ContainerStatus.Exited) throw Exited(record, condition);
            if (record.State.Status == ContainerStatus.Running && ready(record)) return record;
            if (cancel.WaitHandle.WaitOne(interval)) cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Runs the readiness command once: its exit code and the first line it wrote to stderr.</summary>
    private (int Code, string Detail) Probe(ContainerRecord record, IReadOnlyList<string> command, CancellationToken cancel)
    {
        string? firstError = null;
        try
        {
            var code = _exec.Run(record.Id, new ExecRequest { Command = command.ToList() }, null, (isError, line) =>
            {
                if (isError) firstError ??= line;
            }, null, cancel);
            return (code, firstError is null ? "" : $" ({firstError})");
        }
        catch (EngineException ex) when (ex.Data["ExitCode"] is int code)
        {
            // Not found or not executable: it may be installed yet; the timeout message keeps the reason.
            return (code, $" ({ex.Message})");
        }
    }

    private static EngineException Exited(ContainerRecord record, ReadyCondition condition) =>
        new("ContainerExited", EngineErrorKind.InvalidState,
            $"Container {record.Name} exited with code {record.State.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"} before {condition}.", record.Name);

    private static string Seconds(TimeSpan? timeout) =>
        timeout is { } t ? t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s" : "the time allowed";
}
