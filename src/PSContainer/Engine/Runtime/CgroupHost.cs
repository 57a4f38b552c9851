namespace PSContainer.Engine.Runtime;

/// <summary>Facts about the host's cgroup mounts, read from a cgroup root (normally /sys/fs/cgroup).</summary>
internal sealed class CgroupHost
{
    public CgroupHost(string root = "/sys/fs/cgroup")
    {
        Root = root;
        if (File.Exists(Path.Combine(root, "cgroup.controllers")))
            Mode = CgroupMode.V2;
        else if (File.Exists(Path.Combine(root, "unified", "cgroup.controllers")))
            Mode = CgroupMode.Hybrid;
        else
            Mode = CgroupMode.V1;
    }

    /// <summary>The cgroup root.</summary>
    public string Root { get; }

    /// <summary>The mount layout.</summary>
    public CgroupMode Mode { get; }

    /// <summary>Controllers enabled on the cgroup2 mount (empty on pure v1).</summary>
    public IReadOnlyList<string> UnifiedControllers
    {
        get
        {
            var file = Mode switch
            {
                CgroupMode.V2 => Path.Combine(Root, "cgroup.controllers"),
                CgroupMode.Hybrid => Path.Combine(Root, "unified", "cgroup.controllers"),
                _ => null,
            };
            return file is null ? [] : File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
    }

    /// <summary>Thaws a frozen cgroup, so signals reach its processes; a missing cgroup is fine.</summary>
    public void Thaw(string cgroupsPath)
    {
        var (file, value) = Mode == CgroupMode.V2
            ? (Path.Combine(ContainerDir(cgroupsPath, ""), "cgroup.freeze"), "0")
            : (Path.Combine(ContainerDir(cgroupsPath, "freezer"), "freezer.state"), "THAWED");
        try { File.WriteAllText(file, value); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Removes a container's (empty) cgroup directories in every hierarchy. The runtime normally does this;
    /// after its state was lost (a wiped run root) nobody else would.
    /// </summary>
    public void Remove(string cgroupsPath)
    {
        IEnumerable<string> dirs = Mode == CgroupMode.V2
            ? [ContainerDir(cgroupsPath, "")]
            : Directory.Exists(Root) ? Directory.EnumerateDirectories(Root).Select(h => Path.Combine(h, cgroupsPath.TrimStart('/'))) : [];
        foreach (var dir in dirs)
        {
            try { if (Directory.Exists(dir)) Directory.Delete(dir); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>The directory of a container's cgroup for one v1 controller, or the v2 directory.</summary>
    public string ContainerDir(string cgroupsPath, string v1Controller) =>
        Mode == CgroupMode.V2
            ? Path.Combine(Root, cgroupsPath.TrimStart('/'))
            : Path.Combine(Root, v1Controller, cgroupsPath.TrimStart('/'));
}
