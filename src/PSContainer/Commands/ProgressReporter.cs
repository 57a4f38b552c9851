using System.Management.Automation;

namespace PSContainer.Commands;

/// <summary>Shows a long operation's progress with Write-Progress, once per percent, from the pipeline thread only.</summary>
internal sealed class ProgressReporter
{
    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _progress;
    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private int _lastPercent = -1;

    /// <summary>Reports for <paramref name="cmdlet"/> under the title <paramref name="activity"/>.</summary>
    public ProgressReporter(Cmdlet cmdlet, string activity)
    {
        _cmdlet = cmdlet;
        _progress = new ProgressRecord(Math.Abs(activity.GetHashCode() % 100000), activity, "Starting");
    }

    /// <summary>Reports <paramref name="done"/> of <paramref name="total"/> bytes.</summary>
    public void Report(long done, long total)
    {
        var percent = total <= 0 ? 100 : (int)Math.Min(100, done * 100 / total);
        // Write-Progress only works from the pipeline thread, and every percent is enough.
        if (percent == _lastPercent || Environment.CurrentManagedThreadId != _threadId)
            return;
        _lastPercent = percent;
        _progress.PercentComplete = percent;
        _progress.StatusDescription = $"{done / 1048576} of {total / 1048576} MB";
        _cmdlet.WriteProgress(_progress);
    }

    /// <summary>Closes the progress bar.</summary>
    public void Complete()
    {
        _progress.RecordType = ProgressRecordType.Completed;
        _cmdlet.WriteProgress(_progress);
    }
}
