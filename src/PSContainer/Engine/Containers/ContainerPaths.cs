namespace PSContainer.Engine.Containers;

/// <summary>The files of one container: its record, bundle, overlay directories, log and exit markers.</summary>
internal readonly record struct ContainerPaths(string Dir)
{
    public string Record => Path.Combine(Dir, "container.json");
    public string BundleConfig => Path.Combine(Dir, "config.json");
    public string Upper => Path.Combine(Dir, "upper");
    public string Work => Path.Combine(Dir, "work");
    public string Rootfs => Path.Combine(Dir, "rootfs");
    public string Log => Path.Combine(Dir, "ctr.log");
    public string ContainerPidFile => Path.Combine(Dir, "pidfile");
    public string ConmonPidFile => Path.Combine(Dir, "conmon.pid");

    /// <summary>conmon's persist directory: it writes <c>exit</c> and <c>oom</c> here.</summary>
    public string PersistDir => Path.Combine(Dir, "userdata");

    public string ExitFile => Path.Combine(PersistDir, "exit");
    public string OomFile => Path.Combine(PersistDir, "oom");
}
