// StoreLock is thread-affine (a Monitor per lock file), so these tests block on threads on purpose.
#pragma warning disable xUnit1031

using System.Diagnostics;
using PSContainer.Engine.Storage;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Storage;

/// <summary>Each test uses its own lock file, so tests never contend with each other.</summary>
public sealed class StoreLockTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly ScratchDir _dir = new("pscontainer-lock-");

    public void Dispose() => _dir.Dispose();

    private string LockFile => _dir["store.lock"];

    /// <summary>Whether another process can take the flock right now (util-linux flock -n).</summary>
    private static bool OtherProcessCanLock(string file)
    {
        var info = new ProcessStartInfo("flock") { ArgumentList = { "-n", file, "true" }, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        Assert.True(process.WaitForExit(10_000));
        return process.ExitCode == 0;
    }

    /// <summary>Waits until /proc/locks shows a flock request of this process on <paramref name="file"/> as blocked ("->").</summary>
    private static void WaitUntilBlockedBehind(string file)
    {
        var inode = PSContainer.Engine.Interop.Libc.LStat(file)!.Value.Ino;
        var pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow + Limit;
        while (!File.ReadLines("/proc/locks").Any(line =>
            line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, "->", "FLOCK", _, _, var owner, var device, ..] &&
            owner == pid && device.EndsWith(":" + inode, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the lock request never blocked");
            Thread.Sleep(10);
        }
    }

    /// <summary>The kernel's id of the calling thread (/proc/thread-self links to "pid/task/tid").</summary>
    private static int NativeThreadId() =>
        int.Parse(Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget!), System.Globalization.CultureInfo.InvariantCulture);

    private static void WaitUntilAsleepOnFutex(Func<int> thread)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (thread() is not (> 0 and var tid) || !File.ReadAllText($"/proc/self/task/{tid}/wchan").StartsWith("futex", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the second thread never blocked");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void CreatesTheLockFile()
    {
        using (StoreLock.Acquire(LockFile)) Assert.True(File.Exists(LockFile));
    }

    [Fact]
    public void HoldsAFlockAgainstOtherProcesses()
    {
        Assert.True(OtherProcessCanLock(LockFile));
        using (StoreLock.Acquire(LockFile))
            Assert.False(OtherProcessCanLock(LockFile));
        Assert.True(OtherProcessCanLock(LockFile));
    }

    [Fact]
    public void IsReentrantOnOneThread()
    {
        var acquired = Task.Run(() =>
        {
            using var outer = StoreLock.Acquire(LockFile);
            using (StoreLock.Acquire(LockFile))
            {
                using (StoreLock.Acquire(LockFile)) { }
                Assert.False(OtherProcessCanLock(LockFile));
            }
            // The inner holds are gone; the outer one still keeps the flock.
            Assert.False(OtherProcessCanLock(LockFile));
            return true;
        });
        Assert.True(acquired.Wait(Limit), "re-entrant acquire deadlocked");
        Assert.True(OtherProcessCanLock(LockFile));
    }

    [Fact]
    public void DisposingTwiceReleasesOnce()
    {
        var t = Task.Run(() =>
        {
            using var outer = StoreLock.Acquire(LockFile);
            var inner = StoreLock.Acquire(LockFile);
            inner.Dispose();
            inner.Dispose();
            Assert.False(OtherProcessCanLock(LockFile));
        });
        Assert.True(t.Wait(Limit));
        Assert.True(OtherProcessCanLock(LockFile));
    }

    [Fact]
    public void ASecondThreadBlocksUntilTheFirstReleases()
    {
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var first = new Thread(() =>
        {
            using (StoreLock.Acquire(LockFile))
            {
                held.Set();
                release.Wait();
                events.Enqueue("first releases");
            }
        });
        first.Start();
        Assert.True(held.Wait(Limit));

        var secondThread = 0;
        var second = Task.Factory.StartNew(() =>
        {
            Volatile.Write(ref secondThread, NativeThreadId());
            using (StoreLock.Acquire(LockFile)) events.Enqueue("second holds");
        }, TaskCreationOptions.LongRunning);
        // Not a timed wait: the kernel shows the second thread asleep on a futex, which is where a contended lock leaves it.
        WaitUntilAsleepOnFutex(() => Volatile.Read(ref secondThread));
        Assert.False(second.IsCompleted, "the second thread got the lock while the first held it");

        release.Set();
        Assert.True(second.Wait(Limit));
        first.Join();
        Assert.Equal(["first releases", "second holds"], events);
    }

    [Fact]
    public void WaitsForAnotherProcessToRelease()
    {
        var info = new ProcessStartInfo("flock") { ArgumentList = { LockFile, "sleep", "2" } };
        using var holder = Process.Start(info)!;
        var deadline = DateTime.UtcNow + Limit;
        while (OtherProcessCanLock(LockFile))
        {
            Assert.True(DateTime.UtcNow < deadline, "the helper process never took the lock");
            Thread.Sleep(10);
        }
        var acquire = Task.Factory.StartNew(() =>
        {
            using (StoreLock.Acquire(LockFile)) { }
        }, TaskCreationOptions.LongRunning);
        // Not a timed wait: the kernel lists this process's request as blocked behind the helper's lock.
        WaitUntilBlockedBehind(LockFile);
        Assert.False(acquire.IsCompleted, "the lock was granted while another process held it");
        Assert.True(acquire.Wait(Limit));
        Assert.True(holder.WaitForExit(10_000));
    }

    [Fact]
    public void DifferentLockFilesAreIndependent()
    {
        var other = _dir["other.lock"];
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = new Thread(() =>
        {
            using (StoreLock.Acquire(LockFile)) { held.Set(); release.Wait(); }
        });
        first.Start();
        Assert.True(held.Wait(Limit));
        try
        {
            var second = Task.Run(() => { using (StoreLock.Acquire(other)) { } });
            Assert.True(second.Wait(Limit), "a lock on another file was blocked");
        }
        finally
        {
            release.Set();
            first.Join();
        }
    }

    [Fact]
    public void AnUnopenableLockFileThrowsAndLeavesTheLockUsable()
    {
        var bad = _dir["missing-dir/store.lock"];
        var t = Task.Run(() =>
        {
            Assert.ThrowsAny<IOException>(() => StoreLock.Acquire(bad));
            Directory.CreateDirectory(_dir["missing-dir"]);
            using (StoreLock.Acquire(bad)) Assert.False(OtherProcessCanLock(bad));
        });
        Assert.True(t.Wait(Limit));
    }

    [Fact]
    public void ManyThreadsAreMutuallyExclusive()
    {
        var inside = 0;
        var maxInside = 0;
        var count = 0;
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 20; i++)
            {
                using (StoreLock.Acquire(LockFile))
                {
                    var now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref maxInside, now);
                    count++;
                    Thread.SpinWait(1000);
                    Interlocked.Decrement(ref inside);
                }
            }
        });
        Assert.Equal(1, maxInside);
        Assert.Equal(16 * 20, count);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
