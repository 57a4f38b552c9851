using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Writes a container's output (like <c>docker logs</c>): one object per line, stdout and stderr alike
/// (Container, Time, Stream, Text), printed as the lines themselves; lines of several containers are
/// prefixed with the container's name, as docker compose logs does.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerLogEntry))]
public sealed class GetContainerLogCommand : ContainerCmdlet
{
    // The view reads how to print a line from a type name put before the entry's own.
    private const string ViewHint = "PSContainer.Engine.Containers.ContainerLogEntry#";
    private string? _hint;

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only lines written at or after this time, or as long ago as Docker's 5m, 2h, 1h30m.</summary>
    [Parameter]
    [Transformations.SinceTransformation]
    public DateTime? Since { get; set; }

    /// <summary>Print each line after its RFC 3339 timestamp (the Time property is always there).</summary>
    [Parameter]
    [Alias("t")]
    public SwitchParameter Timestamps { get; set; }

    /// <summary>Keep writing new lines until the container stops (or Ctrl+C).</summary>
    [Parameter]
    [Alias("f")]
    public SwitchParameter Follow { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (_hint is null)
        {
            var several = MyInvocation.ExpectingInput || Name.Length > 1 || Id.Length > 1 || InputObject.Length > 1
                || Name.Any(WildcardPattern.ContainsWildcardCharacters);
            _hint = ViewHint + (several ? "Container" : "") + (Timestamps ? "Time" : "");
        }
        foreach (var target in Targets())
        {
            TryEngine(() =>
            {
                var path = Engine.Containers.Store.PathsOf(target.Id).Log;
                var since = Since is { } s ? new DateTimeOffset(s.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(s, DateTimeKind.Local) : s) : (DateTimeOffset?)null;
                var existing = ContainerLog.Read(path, false, () => false, CancelToken).ToList();
                IEnumerable<ContainerLogEntry> shown = existing.Where(e => since is null || e.Time >= since);
                if (Tail is { } tail) shown = shown.TakeLast(tail);
                foreach (var entry in shown) Write(entry, target.Name);
                if (!Follow) return;
                // The log only grows, so the entries already written are exactly the first ones read again.
                foreach (var entry in ContainerLog.Read(path, true, () => Engine.Containers.IsRunning(target.Id), CancelToken).Skip(existing.Count))
                    Write(entry, target.Name);
            }, target.Name);
        }
    }

    private void Write(ContainerLogEntry entry, string name)
    {
        var line = new PSObject(entry with { Container = name });
        if (_hint != ViewHint) line.TypeNames.Insert(0, _hint!);
        WriteObject(line);
    }
}
