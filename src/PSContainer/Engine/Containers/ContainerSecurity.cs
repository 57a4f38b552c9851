using PSContainer.Engine.Oci;
using PSContainer.Engine.Runtime;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Applies a container's <see cref="SecuritySettings"/> to its OCI spec as Docker does: the capability set,
/// no-new-privileges, the seccomp filter generated for those capabilities, and for -Privileged every
/// capability, no filter, no masked or read-only paths, writable /sys and the host's devices.
/// </summary>
internal static class ContainerSecurity
{
    /// <summary>What "the profile in use" is called on ContainerInfo: default, unconfined or the profile's path.</summary>
    public static string ProfileInUse(SecuritySettings security) =>
        security.Privileged ? SecuritySettings.Unconfined : security.SeccompProfile;

    /// <summary>
    /// The container's capabilities: Docker's default set with -CapDrop removed and -CapAdd added; ALL in
    /// -CapAdd starts from every capability <paramref name="all"/> lists, ALL in -CapDrop from none.
    /// </summary>
    public static List<string> Capabilities(SecuritySettings security, Func<List<string>> all)
    {
        if (security.Privileged) return all();
        var add = security.CapAdd;
        var drop = security.CapDrop;
        if (add.Contains(LinuxCapabilities.AllKeyword))
            return all().Where(c => !drop.Contains(c)).ToList();
        if (drop.Contains(LinuxCapabilities.AllKeyword))
            return [.. add];
        return SpecBuilder.DefaultCapabilities.Where(c => !drop.Contains(c)).Concat(add).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Sets the spec's capabilities, no-new-privileges, seccomp filter, masked paths and devices.</summary>
    public static void ApplyTo(OciSpec spec, SecuritySettings security, Func<List<string>>? allCapabilities = null, Func<List<OciDevice>>? hostDevices = null)
    {
        var capabilities = Capabilities(security, allCapabilities ?? (() => LinuxCapabilities.All()));
        spec.Process.Capabilities = new OciCapabilities { Bounding = [.. capabilities], Effective = [.. capabilities], Permitted = [.. capabilities] };
        spec.Process.NoNewPrivileges = security.NoNewPrivileges;
        spec.Linux.Seccomp = Seccomp(security, capabilities);
        if (security.Privileged || security.UnmaskedSystemPaths)
        {
            spec.Linux.MaskedPaths = null;
            spec.Linux.ReadonlyPaths = null;
        }
        if (!security.Privileged) return;
        foreach (var mount in spec.Mounts.Where(m => m.Destination is "/sys" or "/sys/fs/cgroup" && m.Options is not null))
            mount.Options = mount.Options!.Select(o => o == "ro" ? "rw" : o).ToList();
        spec.Linux.Devices = (hostDevices ?? (() => HostDevices.List()))();
        spec.Linux.Resources ??= new OciResources();
        spec.Linux.Resources.Devices = [new OciDeviceRule { Allow = true, Access = "rwm" }];
    }

    private static OciSeccomp? Seccomp(SecuritySettings security, List<string> capabilities)
    {
        if (security.Privileged || security.SeccompProfile == SecuritySettings.Unconfined) return null;
        var document = security.SeccompProfileJson is { } json
            ? SeccompProfile.Parse(json, security.SeccompProfile)
            : SeccompProfile.Default;
        return SeccompProfile.Generate(document, capabilities, SeccompHost.Current);
    }
}
