using PSContainer.Engine.Interop;

namespace PSContainer.Tests.Interop;

public sealed class ProcessIdentityTests
{
    [Fact]
    public void ReadsTheStartTimeAfterACommandNameWithSpacesAndParentheses()
    {
        var stat = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 12345678 300 18446744073709551615";
        Assert.Equal(987654L, ProcessIdentity.ParseStartTicks(stat));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234 (short) S 1 2 3")]
    public void GivesNothingForAStatLineItCannotRead(string stat)
    {
        Assert.Null(ProcessIdentity.ParseStartTicks(stat));
    }

    [Fact]
    public void KnowsTheCurrentProcessIsAlive()
    {
        var me = ProcessIdentity.Current();
        Assert.Equal(Environment.ProcessId, me.Pid);
        Assert.True(me.StartTicks > 0);
        Assert.True(me.IsAlive());
    }

    [Fact]
    public void TellsALaterProcessWithTheSamePidFromTheOneRecorded()
    {
        var me = ProcessIdentity.Current();
        Assert.False(new ProcessIdentity { Pid = me.Pid, StartTicks = me.StartTicks + 1, BootId = me.BootId }.IsAlive());
        Assert.False(new ProcessIdentity { Pid = me.Pid, StartTicks = me.StartTicks, BootId = "another-boot" }.IsAlive());
    }

    [Fact]
    public void KnowsAFinishedProcessIsGone()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        var pid = process.Id;
        var ticks = ProcessIdentity.StartTicksOf(pid);
        process.WaitForExit();
        var gone = new ProcessIdentity { Pid = pid, StartTicks = ticks ?? 0, BootId = ProcessIdentity.Current().BootId };
        Assert.False(gone.IsAlive());
    }
}
