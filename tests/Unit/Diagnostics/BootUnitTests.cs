using PSContainer.Engine.Diagnostics;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Diagnostics;

public sealed class BootUnitTests
{
    [Fact]
    public void MissingUnitIsAnOptionalFailure()
    {
        using var dir = new ScratchDir();
        var check = BootUnit.Check([dir.Root], systemdRuns: true);
        Assert.False(check.Passed);
        Assert.False(check.Required);
        Assert.Contains("not installed", check.Detail);
    }

    [Fact]
    public void InstalledButNotEnabledSaysHowToEnable()
    {
        using var dir = new ScratchDir();
        File.WriteAllText(Path.Combine(dir.Root, BootUnit.Name), "[Unit]\n");
        var check = BootUnit.Check([dir.Root], systemdRuns: true);
        Assert.False(check.Passed);
        Assert.Contains("systemctl enable", check.Detail);
    }

    [Fact]
    public void EnabledUnitPasses()
    {
        using var dir = new ScratchDir();
        var unit = Path.Combine(dir.Root, BootUnit.Name);
        File.WriteAllText(unit, "[Unit]\n");
        Directory.CreateDirectory(Path.Combine(dir.Root, "multi-user.target.wants"));
        File.CreateSymbolicLink(Path.Combine(dir.Root, "multi-user.target.wants", BootUnit.Name), unit);
        Assert.True(BootUnit.Check([dir.Root], systemdRuns: true).Passed);
    }
}
