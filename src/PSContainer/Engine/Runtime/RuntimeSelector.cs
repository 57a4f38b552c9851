using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// Chooses the OCI runtime by probing the host: crun where it works, runc where crun refuses.
/// crun 1.8 refuses hybrid hosts whose cgroup2 mount has controllers ("cgroups in hybrid mode not
/// supported"); runc runs there. A runtime the user names always wins.
/// </summary>
internal static class RuntimeSelector
{
    /// <summary>Picks a runtime; <paramref name="requested"/> is a name or path from -Runtime or the config.</summary>
    public static RuntimeSelection Select(string? requested, CgroupHost cgroups, Func<string, string?>? which = null)
    {
        which ??= ProcessRunner.Which;
        if (!string.IsNullOrEmpty(requested))
        {
            var path = which(requested) ?? throw new EngineException("RuntimeNotFound", EngineErrorKind.NotInstalled,
                $"OCI runtime '{requested}' was not found. Install it (apt-get install {System.IO.Path.GetFileName(requested)}) or name another with -Runtime.", requested);
            return new RuntimeSelection(System.IO.Path.GetFileName(path), path, "requested");
        }

        var crun = which("crun");
        var runc = which("runc");
        var crunRefuses = cgroups.Mode == CgroupMode.Hybrid && cgroups.UnifiedControllers.Count > 0;
        if (crun is not null && !crunRefuses)
            return new RuntimeSelection("crun", crun, "crun is installed and supports this cgroup layout");
        if (runc is not null)
            return new RuntimeSelection("runc", runc, crun is null
                ? "crun is not installed"
                : $"crun refuses hybrid cgroup hosts whose cgroup2 mount has controllers ({string.Join(",", cgroups.UnifiedControllers)})");
        if (crun is not null)
            return new RuntimeSelection("crun", crun, "runc is not installed; crun may refuse this hybrid cgroup host");
        throw new EngineException("RuntimeNotFound", EngineErrorKind.NotInstalled,
            "No OCI runtime found. Install crun or runc (apt-get install crun runc).");
    }
}
