using System.Diagnostics;
using PSContainer.Tests.Support;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Tests.FileSystem;

public sealed class TempNameTests : IDisposable
{
    private readonly ScratchDir _dir = new("pscontainer-tempname-");

    public void Dispose() => _dir.Dispose();

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void NamesCarryKindPidAndAreUnique()
    {
        var a = TempName.For("blob");
        var b = TempName.For("blob");
        Assert.Matches($"^blob-{Environment.ProcessId}-[0-9a-f]{{32}}$", a);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void RemovesEntriesOfADeadProcess()
    {
        var dead = DeadPid();
        _dir.Write($"blob-{dead}-0123", "partial blob");
        _dir.Write($"layer-{dead}-4567/diff/etc/file", "partial layer");
        TempName.RemoveOrphans(_dir.Root);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public void KeepsEntriesOfLiveProcesses()
    {
        var mine = _dir.Write(TempName.For("blob"), "mine");
        var init = _dir.Dir("layer-1-abcd");
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            var other = _dir.Write($"blob-{sleeper.Id}-ef01", "other live writer");
            TempName.RemoveOrphans(_dir.Root);
            Assert.True(File.Exists(mine));
            Assert.True(Directory.Exists(init));
            Assert.True(File.Exists(other));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Fact]
    public void LeavesNamesItDidNotMake()
    {
        _dir.Write("README", "x");
        _dir.Write("blob-notapid-1", "x");
        _dir.Write("blob-12", "x");
        TempName.RemoveOrphans(_dir.Root);
        Assert.Equal(["README", "blob-12", "blob-notapid-1"], _dir.Entries());
    }

    [Fact]
    public void RemovesOnlyTheDeadOnesInAMix()
    {
        var dead = DeadPid();
        _dir.Write($"blob-{dead}-a", "x");
        var mine = Path.GetFileName(_dir.Write(TempName.For("layer"), "x"));
        TempName.RemoveOrphans(_dir.Root);
        Assert.Equal([mine], _dir.Entries());
    }

    [Fact]
    public void ADeadWritersSymlinkIsRemovedWithoutTouchingItsTarget()
    {
        var dead = DeadPid();
        var outside = _dir.Write("outside/keep", "keep");
        Directory.CreateDirectory(_dir["tmp"]);
        Directory.CreateSymbolicLink(_dir[$"tmp/layer-{dead}-x"], _dir["outside"]);
        TempName.RemoveOrphans(_dir["tmp"]);
        Assert.Empty(_dir.Entries("tmp"));
        Assert.Equal("keep", File.ReadAllText(outside));
    }
}
