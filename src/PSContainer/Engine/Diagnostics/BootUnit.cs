namespace PSContainer.Engine.Diagnostics;

/// <summary>
/// The systemd unit that runs Start-ContainerEngine at boot (the README shows it): whether it is installed
/// and enabled. Optional: hosts without systemd run Start-ContainerEngine from their own boot scripts.
/// </summary>
internal static class BootUnit
{
    /// <summary>The unit's name.</summary>
    public const string Name = "pscontainer.service";

    private static readonly string[] UnitDirs = ["/etc/systemd/system", "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"];

    /// <summary>The check Test-ContainerEngine reports.</summary>
    public static EngineCheck Check() => Check(UnitDirs, Directory.Exists("/run/systemd/system"));

    /// <summary>The check against unit directories; <paramref name="systemdRuns"/> says whether systemd is pid 1.</summary>
    internal static EngineCheck Check(IReadOnlyList<string> unitDirs, bool systemdRuns)
    {
        var unit = unitDirs.Select(d => Path.Combine(d, Name)).FirstOrDefault(File.Exists);
        if (unit is null)
            return new("BootUnit", false, $"{Name} is not installed: containers with a restart policy come back after a reboot only when Start-ContainerEngine runs (README: Restart policies)", Required: false);
        var wants = Path.Combine(unitDirs[0], "multi-user.target.wants", Name);
        var enabled = File.Exists(wants) || new FileInfo(wants).LinkTarget is not null;
        if (!enabled)
            return new("BootUnit", false, $"{unit} is installed but not enabled: systemctl enable {Name}", Required: false);
        return new("BootUnit", true, $"{unit} is enabled" + (systemdRuns ? "" : " (systemd is not running on this host)"), Required: false);
    }
}
