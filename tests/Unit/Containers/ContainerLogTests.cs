using System.Text;
using PSContainer.Engine.Containers;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Containers;

public sealed class ContainerLogTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly ScratchDir _dir = new("pscontainer-log-");

    public void Dispose() => _dir.Dispose();

    private string Log => _dir["ctr.log"];

    private static string Rec(string stream, string tag, string text, int second = 0) =>
        $"2024-05-01T12:00:{second:00}.123456789+00:00 {stream} {tag} {text}\n";

    private List<ContainerLogEntry> ReadAll() => ContainerLog.Read(Log, follow: false, () => false, CancellationToken.None).ToList();

    [Fact]
    public void ParsesARecordWithNanosecondTime()
    {
        Assert.True(ContainerLog.TryParse("2024-05-01T12:00:05.123456789Z stdout F hello world", out var time, out var stream, out var partial, out var text));
        // .NET keeps 100 ns ticks; the nanoseconds round to the nearest tick.
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 5, TimeSpan.Zero).AddTicks(1234568), time);
        Assert.Equal("stdout", stream);
        Assert.False(partial);
        Assert.Equal("hello world", text);
    }

    [Fact]
    public void ParsesAnOffsetTimeAndPartialTag()
    {
        Assert.True(ContainerLog.TryParse("2024-05-01T14:00:05.000000001+02:00 stderr P abc", out var time, out var stream, out var partial, out var text));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 5, TimeSpan.Zero), time.ToUniversalTime());
        Assert.Equal("stderr", stream);
        Assert.True(partial);
        Assert.Equal("abc", text);
    }

    [Fact]
    public void KeepsLeadingAndInnerSpacesOfTheText()
    {
        Assert.True(ContainerLog.TryParse("2024-05-01T12:00:00Z stdout F   indented  text ", out _, out _, out _, out var text));
        Assert.Equal("  indented  text ", text);
    }

    [Fact]
    public void AnEmptyLineRecordHasNoText()
    {
        Assert.True(ContainerLog.TryParse("2024-05-01T12:00:00Z stdout F", out _, out _, out var partial, out var text));
        Assert.False(partial);
        Assert.Equal("", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("2024-05-01T12:00:00Z")]
    [InlineData("2024-05-01T12:00:00Z stdout")]
    [InlineData("yesterday stdout F hello")]
    public void RejectsMalformedLines(string line) =>
        Assert.False(ContainerLog.TryParse(line, out _, out _, out _, out _));

    [Fact]
    public void ReadsStdoutAndStderrInOrder()
    {
        File.WriteAllText(Log, Rec("stdout", "F", "one", 1) + Rec("stderr", "F", "two", 2) + Rec("stdout", "F", "three", 3));
        var entries = ReadAll();
        Assert.Equal(["one", "two", "three"], entries.Select(e => e.Text));
        Assert.Equal(["stdout", "stderr", "stdout"], entries.Select(e => e.Stream));
        Assert.Equal([false, true, false], entries.Select(e => e.IsError));
        Assert.Equal(3, entries[2].Time.Second);
    }

    [Fact]
    public void JoinsPartialRecords()
    {
        File.WriteAllText(Log, Rec("stdout", "P", "a long ") + Rec("stdout", "P", "line in ") + Rec("stdout", "F", "three parts") + Rec("stdout", "F", "next"));
        Assert.Equal(["a long line in three parts", "next"], ReadAll().Select(e => e.Text));
    }

    [Fact]
    public void AnotherStreamBetweenPartialsDoesNotBreakTheJoin()
    {
        File.WriteAllText(Log, Rec("stdout", "P", "abc") + Rec("stderr", "F", "err") + Rec("stdout", "F", "def"));
        var entries = ReadAll();
        Assert.Equal([("stderr", "err"), ("stdout", "abcdef")], entries.Select(e => (e.Stream, e.Text)));
    }

    [Fact]
    public void InterleavedPartialsOfBothStreamsStaySeparate()
    {
        // A progress bar on stderr and unterminated output on stdout, both mid-line at once.
        File.WriteAllText(Log, Rec("stdout", "P", "abc") + Rec("stderr", "P", "XY") + Rec("stdout", "F", "def") + Rec("stderr", "F", "Z"));
        var entries = ReadAll();
        Assert.Equal([("stdout", "abcdef"), ("stderr", "XYZ")], entries.Select(e => (e.Stream, e.Text)));
    }

    [Fact]
    public void ATrailingPartialRecordIsNotLost()
    {
        // `printf abc` in a container: conmon writes a P record and nothing follows it.
        File.WriteAllText(Log, Rec("stdout", "F", "first") + Rec("stdout", "P", "abc"));
        Assert.Equal(["first", "abc"], ReadAll().Select(e => e.Text));
    }

    [Fact]
    public void SkipsMalformedLines()
    {
        File.WriteAllText(Log, "garbage\n" + Rec("stdout", "F", "good") + "\n" + "not-a-time stdout F x\n" + Rec("stderr", "F", "also good"));
        Assert.Equal(["good", "also good"], ReadAll().Select(e => e.Text));
    }

    [Fact]
    public void KeepsUtf8AcrossReadBuffers()
    {
        // Longer than the 64 KiB read buffer, so multi-byte characters straddle a boundary.
        var text = string.Concat(Enumerable.Repeat("äöü€😀", 20_000));
        File.WriteAllText(Log, Rec("stdout", "F", text) + Rec("stdout", "F", "after"), new UTF8Encoding(false));
        Assert.Equal([text, "after"], ReadAll().Select(e => e.Text));
    }

    [Fact]
    public void MissingFileWithoutFollowIsEmpty() => Assert.Empty(ReadAll());

    /// <summary>
    /// A container that reports itself running while counting how often the follower asks: the follower asks only
    /// when it has read everything there is, so each new count is a moment it waits for more, whatever the timing.
    /// </summary>
    private sealed class FollowedContainer
    {
        private int _polls;
        private volatile bool _running = true;

        public int Polls => Volatile.Read(ref _polls);

        public bool StillRunning()
        {
            Interlocked.Increment(ref _polls);
            return _running;
        }

        public void Stop() => _running = false;

        /// <summary>Waits until the follower has asked <paramref name="more"/> more times than <paramref name="since"/>.</summary>
        public async Task PolledAsync(int since, int more = 1)
        {
            var deadline = DateTime.UtcNow + Limit;
            while (Polls < since + more)
            {
                Assert.True(DateTime.UtcNow < deadline, "the follower stopped polling");
                await Task.Delay(2);
            }
        }
    }

    private Task<List<string>> Follow(FollowedContainer container, CancellationToken cancel = default) =>
        Task.Run(() => ContainerLog.Read(Log, follow: true, container.StillRunning, cancel).Select(e => e.Text).ToList());

    [Fact]
    public async Task FollowReadsWhatIsAppendedAndStopsWhenTheContainerStops()
    {
        File.WriteAllText(Log, Rec("stdout", "F", "0"));
        var container = new FollowedContainer();
        var reader = Follow(container);
        for (var i = 1; i <= 5; i++)
        {
            // Each append lands while the follower waits at the end of the file.
            await container.PolledAsync(container.Polls);
            File.AppendAllText(Log, Rec("stdout", "P", $"{i}-") + Rec("stdout", "F", $"{i}"));
        }
        // The last line lands just as the container stops: it must still be read.
        File.AppendAllText(Log, Rec("stderr", "F", "bye"));
        container.Stop();
        Assert.Equal(["0", "1-1", "2-2", "3-3", "4-4", "5-5", "bye"], await reader.WaitAsync(Limit));
    }

    [Fact]
    public async Task FollowWaitsForTheFileToAppear()
    {
        var container = new FollowedContainer();
        var reader = Follow(container);
        await container.PolledAsync(0, 2);
        Assert.False(reader.IsCompleted);
        File.WriteAllText(Log, Rec("stdout", "F", "late"));
        // Two questions after the write: between them the follower looked for the file again and found it.
        await container.PolledAsync(container.Polls, 2);
        container.Stop();
        Assert.Equal(["late"], await reader.WaitAsync(Limit));
    }

    [Fact]
    public async Task FollowOfANeverStartedContainerEnds()
    {
        var entries = ContainerLog.Read(Log, follow: true, () => false, CancellationToken.None);
        Assert.Empty(await Task.Run(() => entries.ToList()).WaitAsync(Limit));
    }

    [Fact]
    public async Task FollowStopsOnCancel()
    {
        File.WriteAllText(Log, Rec("stdout", "F", "x"));
        using var cancel = new CancellationTokenSource();
        var container = new FollowedContainer();
        var reader = Follow(container, cancel.Token);
        await container.PolledAsync(0, 2);
        Assert.False(reader.IsCompleted);
        cancel.Cancel();
        Assert.Equal(["x"], await reader.WaitAsync(Limit));
    }

    [Fact]
    public async Task FollowJoinsARecordSplitAcrossWrites()
    {
        var line = Rec("stdout", "F", "split record");
        File.WriteAllText(Log, line[..20]);
        var container = new FollowedContainer();
        var reader = Follow(container);
        // The follower has read the first half and waits for the rest.
        await container.PolledAsync(0);
        File.AppendAllText(Log, line[20..]);
        container.Stop();
        Assert.Equal(["split record"], await reader.WaitAsync(Limit));
    }

    [Fact]
    public void RecordsKeepTheBytesAProcessWroteExactly()
    {
        // Content that is not UTF-8 (0xFF, 0xC3 alone, a NUL) and a line split over two records.
        var header = Encoding.ASCII.GetBytes("2024-05-01T12:00:00.000000001+00:00 stdout P ");
        var second = Encoding.ASCII.GetBytes("2024-05-01T12:00:00.000000002+00:00 stdout F ");
        var bytes = header.Concat(new byte[] { 0xFF, 0x00, 0xC3 }).Append((byte)'\n')
            .Concat(second).Concat(new byte[] { 0x41, 0x0D }).Append((byte)'\n').ToArray();
        File.WriteAllBytes(Log, bytes);

        var records = ContainerLog.ReadRecords(Log, follow: false, () => false, CancellationToken.None).ToList();

        Assert.Equal(2, records.Count);
        Assert.True(records[0].Partial);
        Assert.Equal(new byte[] { 0xFF, 0x00, 0xC3 }, records[0].Content);
        Assert.False(records[1].Partial);
        Assert.Equal(new byte[] { 0x41, 0x0D }, records[1].Content);
    }
}
