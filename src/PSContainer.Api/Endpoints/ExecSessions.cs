using System.Collections.Concurrent;
using System.Security.Cryptography;
using PSContainer.Engine.Containers;

namespace PSContainer.Api.Endpoints;

/// <summary>
/// Exec instances between their create and their inspect, as dockerd keeps them: in memory. They describe a
/// process that lives only while its start request runs (or its conmon, with a terminal), so nothing of the
/// store depends on them; a restarted server has simply forgotten finished ones.
/// </summary>
internal sealed class ExecSessions
{
    private static readonly TimeSpan KeepFinished = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, ExecSession> _sessions = new(StringComparer.Ordinal);

    public ExecSession Add(string containerId, ExecRequest request, ExecOptions options)
    {
        Forget();
        var session = new ExecSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), containerId, request, options);
        _sessions[session.Id] = session;
        return session;
    }

    public ExecSession Find(string id) =>
        _sessions.TryGetValue(id, out var session) ? session
        : _sessions.Values.Where(s => s.Id.StartsWith(id, StringComparison.Ordinal)).ToList() is [var only] && id.Length > 0 ? only
        : throw ApiException.NotFound($"No such exec instance: {id}");

    public IEnumerable<ExecSession> OfContainer(string containerId) => _sessions.Values.Where(s => s.ContainerId == containerId);

    // Finished sessions are kept a while for their inspect, then dropped.
    private void Forget()
    {
        foreach (var session in _sessions.Values)
            if (session.FinishedAt is { } finished && DateTimeOffset.UtcNow - finished > KeepFinished)
                _sessions.TryRemove(session.Id, out _);
    }
}

/// <summary>How the client will use an exec: which streams it attaches and whether it has a terminal.</summary>
internal sealed record ExecOptions(bool Tty, bool AttachStdin, bool AttachStdout, bool AttachStderr, (int Rows, int Columns)? ConsoleSize);

/// <summary>One exec instance.</summary>
internal sealed class ExecSession(string id, string containerId, ExecRequest request, ExecOptions options)
{
    public string Id { get; } = id;
    public string ContainerId { get; } = containerId;
    public ExecRequest Request { get; } = request;
    public ExecOptions Options { get; } = options;
    public bool Running { get; set; }
    public bool Started { get; set; }
    public int? ExitCode { get; set; }
    public int Pid { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The conmon session directory of a terminal exec while it runs (its resizes go there).</summary>
    public string? TerminalDir { get; set; }
}
