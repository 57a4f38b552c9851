using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Writes a container's output (like <c>docker logs</c>): stdout lines to the pipeline, stderr lines to the error stream.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = "ByName")]
[OutputType(typeof(string))]
public sealed class GetContainerLogCommand : ContainerCmdlet
{
    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Only lines written at or after this time.</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>Prefix each line with its RFC 3339 timestamp.</summary>
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
        if (Timestamps) entry = entry with { Text = entry.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffK", global::System.Globalization.CultureInfo.InvariantCulture) + " " + entry.Text };
        LogStreaming.Write(this, entry, name);
    }
}
