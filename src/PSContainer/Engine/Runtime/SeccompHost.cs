using System.Globalization;
using System.Runtime.InteropServices;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// What a seccomp profile's conditions are evaluated against: the host's architecture, in the names Docker's
/// profiles use (amd64, arm64, s390x, ...), and its kernel version.
/// </summary>
internal sealed record SeccompHost(string Architecture, Version Kernel)
{
    /// <summary>This machine.</summary>
    public static SeccompHost Current { get; } = new(NativeArchitecture(RuntimeInformation.ProcessArchitecture), KernelVersion(ReadKernelRelease()));

    /// <summary>The libseccomp architecture of a profile architecture name, for archMap lookups.</summary>
    public string? SeccompArchitecture => Architecture switch
    {
        "amd64" => "SCMP_ARCH_X86_64",
        "x86" => "SCMP_ARCH_X86",
        "arm64" => "SCMP_ARCH_AARCH64",
        "arm" => "SCMP_ARCH_ARM",
        "s390x" => "SCMP_ARCH_S390X",
        "ppc64le" => "SCMP_ARCH_PPC64LE",
        "riscv64" => "SCMP_ARCH_RISCV64",
        "loong64" => "SCMP_ARCH_LOONGARCH64",
        _ => null,
    };

    /// <summary>The name Docker's profiles give a .NET process architecture.</summary>
    public static string NativeArchitecture(Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.X86 => "x86",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    /// <summary>Major and minor of a kernel release such as "6.1.0-18-amd64" (0.0 when unreadable).</summary>
    public static Version KernelVersion(string release)
    {
        var parts = release.Split('.', '-', '+');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? new Version(major, minor) : new Version(0, 0);
    }

    private static string ReadKernelRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
