using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// The minimal init for -Init (docker run --init): Debian's catatonit, else tini's static build, bind-mounted
/// read-only into the container and run as pid 1 in front of the container's command. It reaps orphaned
/// zombies and forwards signals to the command. Both are static, so any image can run them.
/// </summary>
internal static class InitProcess
{
    /// <summary>Where the init appears in the container.</summary>
    public const string ContainerPath = "/run/pscontainer-init";

    private static readonly string[] Candidates =
        ["/usr/bin/catatonit", "/usr/libexec/podman/catatonit", "/usr/bin/tini-static", "/usr/bin/docker-init"];

    /// <summary>The host's init binary; throws when none is installed.</summary>
    public static string Find() =>
        Candidates.FirstOrDefault(File.Exists)
        ?? throw new EngineException("InitNotFound", EngineErrorKind.NotInstalled,
            "-Init needs catatonit or tini: apt-get install catatonit (or tini).");

    /// <summary>Puts <paramref name="initPath"/> in front of the spec's process, as pid 1.</summary>
    public static void ApplyTo(OciSpec spec, string initPath)
    {
        spec.Mounts.Add(new OciMount { Destination = ContainerPath, Type = "bind", Source = initPath, Options = ["bind", "ro", "nosuid", "nodev"] });
        spec.Process.Args = [ContainerPath, "--", .. spec.Process.Args];
    }
}
