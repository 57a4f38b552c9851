using System.Globalization;
using System.Text;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Reads conmon's k8s-file log: one line per record, <c>&lt;RFC3339Nano time&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;text&gt;</c>,
/// where P marks a partial line continued by the next record.
/// </summary>
internal static class ContainerLog
{
    /// <summary>Parses one record; returns false for a malformed line.</summary>
    public static bool TryParse(string line, out DateTimeOffset time, out string stream, out bool partial, out string text)
    {
        time = default; stream = ""; partial = false; text = "";
        var first = line.IndexOf(' ');
        if (first < 0) return false;
        var second = line.IndexOf(' ', first + 1);
        if (second < 0) return false;
        var third = line.IndexOf(' ', second + 1);
        if (!DateTimeOffset.TryParse(line.AsSpan(0, first), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time))
            return false;
        stream = line[(first + 1)..second];
        var tag = third < 0 ? line[(second + 1)..] : line[(second + 1)..third];
        partial = tag.StartsWith('P');
        text = third < 0 ? "" : line[(third + 1)..];
        return true;
    }

    /// <summary>One record of the log: its content bytes as written, without the newline a full record ends with.</summary>
    public readonly record struct Record(DateTimeOffset Time, string Stream, bool Partial, byte[] Content);

    /// <summary>
    /// The entries of a log, joining each stream's partial records. With <paramref name="follow"/>, keeps reading
    /// as the file grows until <paramref name="stillRunning"/> says the container stopped and the file is drained.
    /// A partial record left at the end (output without a final newline) is still an entry.
    /// </summary>
    public static IEnumerable<ContainerLogEntry> Read(string path, bool follow, Func<bool> stillRunning, CancellationToken cancel)
    {
        var partials = new Dictionary<string, (DateTimeOffset Time, List<byte> Content)>(StringComparer.Ordinal);
        foreach (var record in ReadRecords(path, follow, stillRunning, cancel))
        {
            var time = record.Time;
            var content = record.Content;
            if (partials.Remove(record.Stream, out var pending))
            {
                pending.Content.AddRange(content);
                content = [.. pending.Content];
                time = pending.Time;
            }
            if (record.Partial)
                partials[record.Stream] = (time, [.. content]);
            else
                yield return new ContainerLogEntry(time, record.Stream, Encoding.UTF8.GetString(content));
        }
        foreach (var (name, pending) in partials.OrderBy(p => p.Value.Time))
            yield return new ContainerLogEntry(pending.Time, name, Encoding.UTF8.GetString([.. pending.Content]));
    }

    /// <summary>
    /// The log's records as conmon wrote them, content undecoded: a stream's bytes are its records' contents,
    /// each full one followed by a newline. Follows as <see cref="Read"/> does.
    /// </summary>
    public static IEnumerable<Record> ReadRecords(string path, bool follow, Func<bool> stillRunning, CancellationToken cancel)
    {
        while (!File.Exists(path))
        {
            if (!follow || !stillRunning()) yield break;
            if (cancel.WaitHandle.WaitOne(20)) yield break;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var lineBuffer = new List<byte>();
        var buffer = new byte[1 << 16];
        var idle = 1;
        var followingSince = DateTime.UtcNow;
        while (true)
        {
            var read = stream.Read(buffer, 0, buffer.Length);
            if (read > 0)
            {
                idle = 1;
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n') continue;
                    lineBuffer.AddRange(buffer.AsSpan(start, i - start).ToArray());
                    start = i + 1;
                    var line = lineBuffer.ToArray();
                    lineBuffer.Clear();
                    if (TryParse(line, out var record)) yield return record;
                }
                lineBuffer.AddRange(buffer.AsSpan(start, read - start).ToArray());
                continue;
            }
            var finished = !follow || !stillRunning();
            // Drain once more after the container stops: conmon may flush its last lines just before exiting.
            if (finished && follow && stream.Read(buffer, 0, 1) > 0)
            {
                stream.Seek(-1, SeekOrigin.Current);
                continue;
            }
            if (finished) yield break;
            if (cancel.WaitHandle.WaitOne(idle)) yield break;
            // Short runs are the common case: poll briskly for a few seconds, then back off.
            idle = Math.Min(idle * 2, DateTime.UtcNow - followingSince < TimeSpan.FromSeconds(3) ? 5 : 50);
        }
    }

    // A record's header is ASCII; its content is whatever bytes the process wrote.
    private static bool TryParse(byte[] line, out Record record)
    {
        record = default;
        var first = Array.IndexOf(line, (byte)' ');
        if (first < 0) return false;
        var second = Array.IndexOf(line, (byte)' ', first + 1);
        if (second < 0) return false;
        var third = Array.IndexOf(line, (byte)' ', second + 1);
        var header = Encoding.ASCII.GetString(line, 0, third < 0 ? line.Length : third);
        if (!TryParse(header, out var time, out var name, out var partial, out _)) return false;
        record = new Record(time, name, partial, third < 0 ? [] : line[(third + 1)..]);
        return true;
    }
}
