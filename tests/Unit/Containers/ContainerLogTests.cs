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

    [Fact]
    public async Task FollowReadsWhatIsAppendedAndStopsWhenTheContainerStops()
    {
        File.WriteAllText(Log, Rec("stdout", "F", "0"));
        var running = true;
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 5; i++)
            {
                await Task.Delay(30);
                File.AppendAllText(Log, Rec("stdout", "P", $"{i}-") + Rec("stdout", "F", $"{i}"));
            }
            // The last line lands just as the container stops: it must still be read.
            File.AppendAllText(Log, Rec("stderr", "F", "bye"));
            Volatile.Write(ref running, false);
        });
        var reader = Task.Run(() => ContainerLog.Read(Log, follow: true, () => Volatile.Read(ref running), CancellationToken.None).Select(e => e.Text).ToList());
        var texts = await reader.WaitAsync(Limit);
        await writer;
        Assert.Equal(["0", "1-1", "2-2", "3-3", "4-4", "5-5", "bye"], texts);
    }

    [Fact]
    public async Task FollowWaitsForTheFileToAppear()
    {
        var running = true;
        var reader = Task.Run(() => ContainerLog.Read(Log, follow: true, () => Volatile.Read(ref running), CancellationToken.None).Select(e => e.Text).ToList());
        await Task.Delay(100);
        Assert.False(reader.IsCompleted);
        File.WriteAllText(Log, Rec("stdout", "F", "late"));
        await Task.Delay(100);
        Volatile.Write(ref running, false);
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
        var reader = Task.Run(() => ContainerLog.Read(Log, follow: true, () => true, cancel.Token).Select(e => e.Text).ToList());
        await Task.Delay(100);
        Assert.False(reader.IsCompleted);
        cancel.Cancel();
        Assert.Equal(["x"], await reader.WaitAsync(Limit));
    }

    [Fact]
    public async Task FollowJoinsARecordSplitAcrossWrites()
    {
        var line = Rec("stdout", "F", "split record");
        File.WriteAllText(Log, line[..20]);
        var running = true;
        var reader = Task.Run(() => ContainerLog.Read(Log, follow: true, () => Volatile.Read(ref running), CancellationToken.None).Select(e => e.Text).ToList());
        await Task.Delay(100);
        File.AppendAllText(Log, line[20..]);
        await Task.Delay(50);
        Volatile.Write(ref running, false);
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
