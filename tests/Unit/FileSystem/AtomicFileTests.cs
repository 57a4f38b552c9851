// The concurrency test blocks on real threads on purpose.
#pragma warning disable xUnit1031

using PSContainer.Tests.Support;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Tests.FileSystem;

public sealed class AtomicFileTests : IDisposable
{
    private readonly ScratchDir _dir = new("pscontainer-atomic-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WritesANewFileAndLeavesNoTemp()
    {
        AtomicFile.WriteAllBytes(_dir["a.bin"], [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(_dir["a.bin"]));
        Assert.Equal(["a.bin"], _dir.Entries());
    }

    [Fact]
    public void ReplacesExistingContent()
    {
        _dir.Write("a.txt", "a much longer old content");
        AtomicFile.WriteAllText(_dir["a.txt"], "new");
        Assert.Equal("new", File.ReadAllText(_dir["a.txt"]));
        Assert.Equal(["a.txt"], _dir.Entries());
    }

    [Fact]
    public void WritesUtf8WithoutBom()
    {
        AtomicFile.WriteAllText(_dir["u.txt"], "ä");
        Assert.Equal([0xC3, 0xA4], File.ReadAllBytes(_dir["u.txt"]));
    }

    [Fact]
    public void WritesEmptyContent()
    {
        AtomicFile.WriteAllBytes(_dir["empty"], []);
        Assert.Equal(0, new FileInfo(_dir["empty"]).Length);
    }

    [Fact]
    public void ReplacesTheLinkNotItsTarget()
    {
        var target = _dir.Write("target", "keep");
        File.CreateSymbolicLink(_dir["link"], target);
        AtomicFile.WriteAllText(_dir["link"], "new");
        Assert.Equal("keep", File.ReadAllText(target));
        Assert.Null(new FileInfo(_dir["link"]).LinkTarget);
        Assert.Equal("new", File.ReadAllText(_dir["link"]));
    }

    [Fact]
    public void AFailedRenameLeavesNoTempAndTheTargetUntouched()
    {
        var dir = _dir.Dir("target-is-a-dir");
        _dir.Write("target-is-a-dir/inside", "x");
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(dir, "new"));
        Assert.Equal(["target-is-a-dir", "target-is-a-dir/inside"], _dir.Entries());
    }

    [Fact]
    public void AMissingParentThrowsAndCreatesNothing()
    {
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(_dir["no/such/file"], "x"));
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void ConcurrentWritersNeverTearTheFile()
    {
        const int ReadsWhileWriting = 100;
        var path = _dir["shared"];
        var contents = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 100_000)).ToArray();
        AtomicFile.WriteAllText(path, contents[0]);
        using var stop = new CancellationTokenSource();
        var reads = 0;
        // A thread of its own: the writers below must not be able to starve it of a pool thread.
        var reader = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = File.ReadAllText(path);
                Assert.Contains(text, contents);
                Interlocked.Increment(ref reads);
            }
        }, TaskCreationOptions.LongRunning);
        // The writers keep going until the reader has read enough times while they wrote (or has failed),
        // however the threads are scheduled.
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            for (var n = 0; n < 20 || (Volatile.Read(ref reads) < ReadsWhileWriting && !reader.IsCompleted); n++)
                AtomicFile.WriteAllText(path, contents[i]);
        });
        stop.Cancel();
        reader.Wait();
        Assert.True(reads >= ReadsWhileWriting);
        Assert.Contains(File.ReadAllText(path), contents);
        Assert.Equal(["shared"], _dir.Entries());
    }
}
