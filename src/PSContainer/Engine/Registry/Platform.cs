using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace PSContainer.Engine.Registry;

/// <summary>The platform an image runs on, as an index entry states it; names follow GOOS/GOARCH.</summary>
internal sealed record Platform
{
    /// <summary>Operating system: "linux".</summary>
    [JsonPropertyName("os")] public string Os { get; init; } = "";

    /// <summary>CPU architecture: "amd64", "arm64".</summary>
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";

    /// <summary>CPU variant: "v7" for arm, "v8" for arm64.</summary>
    [JsonPropertyName("variant")] public string? Variant { get; init; }

    /// <summary>Operating system version (Windows images).</summary>
    [JsonPropertyName("os.version")] public string? OsVersion { get; init; }

    /// <summary>Required operating system features.</summary>
    [JsonPropertyName("os.features")] public List<string>? OsFeatures { get; init; }

    /// <summary>The platform of this machine.</summary>
    public static Platform Current => new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm or System.Runtime.InteropServices.Architecture.Armv6 => "arm",
            System.Runtime.InteropServices.Architecture.S390x => "s390x",
            System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
            System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
            System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
            var other => other.ToString().ToLowerInvariant(),
        },
        Variant = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "v8",
            System.Runtime.InteropServices.Architecture.Arm => "v7",
            System.Runtime.InteropServices.Architecture.Armv6 => "v6",
            _ => null,
        },
    };

    /// <summary>Parses "os/arch[/variant]" ("linux/arm64/v8", "linux/amd64").</summary>
    public static Platform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw new EngineException("InvalidPlatform", EngineErrorKind.InvalidArgument,
                $"'{text}' is not a platform; use os/arch or os/arch/variant, such as linux/amd64 or linux/arm/v7.", text);
        return new Platform { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null };
    }

    /// <summary>
    /// The canonical spelling, as containerd normalizes it: "aarch64" is arm64, arm64's "v8" is the default
    /// and so empty, plain "arm" means "v7", "x86_64" is amd64.
    /// </summary>
    public Platform Normalize()
    {
        var os = Os.ToLowerInvariant() is "macos" ? "darwin" : Os.ToLowerInvariant();
        var arch = Architecture.ToLowerInvariant();
        var variant = Variant?.ToLowerInvariant() ?? "";
        switch (arch)
        {
            case "i386":
                arch = "386";
                break;
            case "x86_64" or "x86-64" or "amd64":
                arch = "amd64";
                if (variant == "v1") variant = "";
                break;
            case "aarch64" or "arm64":
                arch = "arm64";
                if (variant is "8" or "v8" or "v8.0") variant = "";
                break;
            case "armhf":
                arch = "arm";
                variant = "v7";
                break;
            case "armel":
                arch = "arm";
                variant = "v6";
                break;
            case "arm":
                variant = variant switch { "" or "7" => "v7", "5" or "6" or "8" => "v" + variant, _ => variant };
                break;
        }
        return this with { Os = os, Architecture = arch, Variant = variant.Length == 0 ? null : variant };
    }

    /// <inheritdoc/>
    public override string ToString() => Os + "/" + Architecture + (string.IsNullOrEmpty(Variant) ? "" : "/" + Variant);
}
