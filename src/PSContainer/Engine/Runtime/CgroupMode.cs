namespace PSContainer.Engine.Runtime;

/// <summary>How the host mounts cgroups.</summary>
public enum CgroupMode
{
    /// <summary>Only cgroup v1 controller hierarchies.</summary>
    V1,
    /// <summary>cgroup v1 controllers plus a cgroup2 mount (usually /sys/fs/cgroup/unified).</summary>
    Hybrid,
    /// <summary>The unified cgroup v2 hierarchy at /sys/fs/cgroup.</summary>
    V2,
}
