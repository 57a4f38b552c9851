using PSContainer.Engine.Interop;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Networks;

namespace PSContainer.Engine.Diagnostics;

/// <summary>Checks what the engine needs from the host, without opening the store.</summary>
internal static class EngineDoctor
{
    /// <summary>Every check, passed or not, with a reason a user can act on.</summary>
    public static List<EngineCheck> Run(EngineOptions options)
    {
        var checks = new List<EngineCheck>
        {
            Libc.geteuid() == 0
                ? new("Root", true, "running as root")
                : new("Root", false, "run pwsh as root (sudo pwsh)"),
            File.ReadAllText("/proc/filesystems").Contains("\toverlay")
                ? new("Overlayfs", true, "the kernel supports overlay")
                : new("Overlayfs", false, "the kernel lacks overlayfs: modprobe overlay"),
        };
        var conmon = ProcessRunner.Which("conmon");
        checks.Add(conmon is null
            ? new("Conmon", false, "conmon not found: apt-get install conmon")
            : new("Conmon", true, $"{conmon} ({FirstLine(conmon, "--version")})"));
        var cgroups = new CgroupHost();
        checks.Add(new("Cgroups", true, $"cgroup {cgroups.Mode}" + (cgroups.UnifiedControllers.Count > 0 ? $" (cgroup2 controllers: {string.Join(",", cgroups.UnifiedControllers)})" : "")));
        try
        {
            var runtime = RuntimeSelector.Select(options.Runtime, cgroups);
            checks.Add(new("Runtime", true, $"{runtime.Name} at {runtime.Path} ({FirstLine(runtime.Path, "--version")}): {runtime.Reason}"));
        }
        catch (EngineException ex)
        {
            checks.Add(new("Runtime", false, ex.Message));
        }
        var (networkPassed, networkDetail) = Networks.NetworkPrerequisites.Check();
        checks.Add(new("Network", networkPassed, networkDetail));
        checks.Add(SeccompCheck.Run());
        checks.Add(BootUnit.Check());
        return checks;
    }

    /// <summary>The first line a program prints for <paramref name="argument"/>, or its failure.</summary>
    public static string FirstLine(string program, string argument)
    {
        try
        {
            var result = ProcessRunner.Run(program, [argument], timeout: TimeSpan.FromSeconds(10));
            return (result.StdOut + result.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
        }
        catch (Exception ex) when (ex is EngineException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "cannot run: " + ex.Message;
        }
    }
}
