using System.Text.Json.Serialization;

namespace PSContainer.Engine.Oci;

/// <summary>The OCI runtime spec's config.json, limited to the fields the engine sets.</summary>
internal sealed class OciSpec
{
    [JsonPropertyName("ociVersion")] public string OciVersion { get; set; } = "1.0.2";
    [JsonPropertyName("process")] public OciProcess Process { get; set; } = new();
    [JsonPropertyName("root")] public OciRoot Root { get; set; } = new();
    [JsonPropertyName("hostname")] public string? Hostname { get; set; }
    [JsonPropertyName("mounts")] public List<OciMount> Mounts { get; set; } = new();
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("linux")] public OciLinux Linux { get; set; } = new();
}

/// <summary>The container's first process.</summary>
internal sealed class OciProcess
{
    [JsonPropertyName("terminal")] public bool Terminal { get; set; }
    [JsonPropertyName("consoleSize")] public OciConsoleSize? ConsoleSize { get; set; }
    [JsonPropertyName("user")] public OciUser User { get; set; } = new();
    [JsonPropertyName("args")] public List<string> Args { get; set; } = new();
    [JsonPropertyName("env")] public List<string> Env { get; set; } = new();
    [JsonPropertyName("cwd")] public string Cwd { get; set; } = "/";
    [JsonPropertyName("capabilities")] public OciCapabilities? Capabilities { get; set; }
    [JsonPropertyName("rlimits")] public List<OciRlimit>? Rlimits { get; set; }
    [JsonPropertyName("noNewPrivileges")] public bool NoNewPrivileges { get; set; }
    [JsonPropertyName("oomScoreAdj")] public int? OomScoreAdj { get; set; }
}

/// <summary>A terminal's size.</summary>
internal sealed class OciConsoleSize
{
    [JsonPropertyName("height")] public uint Height { get; set; }
    [JsonPropertyName("width")] public uint Width { get; set; }
}

/// <summary>The numeric identity the process runs as.</summary>
internal sealed class OciUser
{
    [JsonPropertyName("uid")] public uint Uid { get; set; }
    [JsonPropertyName("gid")] public uint Gid { get; set; }
    [JsonPropertyName("umask")] public uint? Umask { get; set; }
    [JsonPropertyName("additionalGids")] public List<uint>? AdditionalGids { get; set; }
}

/// <summary>Capability sets, by name (CAP_…).</summary>
internal sealed class OciCapabilities
{
    [JsonPropertyName("bounding")] public List<string> Bounding { get; set; } = new();
    [JsonPropertyName("effective")] public List<string> Effective { get; set; } = new();
    [JsonPropertyName("permitted")] public List<string> Permitted { get; set; } = new();
}

/// <summary>A resource limit.</summary>
internal sealed class OciRlimit
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("hard")] public ulong Hard { get; set; }
    [JsonPropertyName("soft")] public ulong Soft { get; set; }
}

/// <summary>The root filesystem.</summary>
internal sealed class OciRoot
{
    [JsonPropertyName("path")] public string Path { get; set; } = "rootfs";
    [JsonPropertyName("readonly")] public bool Readonly { get; set; }
}

/// <summary>A mount inside the container.</summary>
internal sealed class OciMount
{
    [JsonPropertyName("destination")] public string Destination { get; set; } = "";
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("source")] public string? Source { get; set; }
    [JsonPropertyName("options")] public List<string>? Options { get; set; }
}

/// <summary>Linux-specific settings.</summary>
internal sealed class OciLinux
{
    [JsonPropertyName("namespaces")] public List<OciNamespace> Namespaces { get; set; } = new();
    [JsonPropertyName("resources")] public OciResources? Resources { get; set; }
    [JsonPropertyName("cgroupsPath")] public string? CgroupsPath { get; set; }
    [JsonPropertyName("maskedPaths")] public List<string>? MaskedPaths { get; set; }
    [JsonPropertyName("readonlyPaths")] public List<string>? ReadonlyPaths { get; set; }
    [JsonPropertyName("sysctl")] public Dictionary<string, string>? Sysctl { get; set; }
    [JsonPropertyName("seccomp")] public OciSeccomp? Seccomp { get; set; }
    [JsonPropertyName("devices")] public List<OciDevice>? Devices { get; set; }
}

/// <summary>A seccomp filter: a default action and rules for named system calls.</summary>
internal sealed class OciSeccomp
{
    [JsonPropertyName("defaultAction")] public string DefaultAction { get; set; } = "SCMP_ACT_ALLOW";
    [JsonPropertyName("defaultErrnoRet")] public uint? DefaultErrnoRet { get; set; }
    [JsonPropertyName("architectures")] public List<string>? Architectures { get; set; }
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
    [JsonPropertyName("listenerPath")] public string? ListenerPath { get; set; }
    [JsonPropertyName("listenerMetadata")] public string? ListenerMetadata { get; set; }
    [JsonPropertyName("syscalls")] public List<OciSyscallRule> Syscalls { get; set; } = new();
}

/// <summary>What happens when a process makes one of the named system calls (with matching arguments).</summary>
internal sealed class OciSyscallRule
{
    [JsonPropertyName("names")] public List<string> Names { get; set; } = new();
    [JsonPropertyName("action")] public string Action { get; set; } = "SCMP_ACT_ERRNO";
    [JsonPropertyName("errnoRet")] public uint? ErrnoRet { get; set; }
    [JsonPropertyName("args")] public List<OciSyscallArg>? Args { get; set; }
}

/// <summary>A condition on one argument of a system call.</summary>
internal sealed class OciSyscallArg
{
    [JsonPropertyName("index")] public uint Index { get; set; }
    [JsonPropertyName("value")] public ulong Value { get; set; }
    [JsonPropertyName("valueTwo")] public ulong ValueTwo { get; set; }
    [JsonPropertyName("op")] public string Op { get; set; } = "";
}

/// <summary>A device node the runtime creates in the container's /dev.</summary>
internal sealed class OciDevice
{
    [JsonPropertyName("path")] public string Path { get; set; } = "";
    [JsonPropertyName("type")] public string Type { get; set; } = "c";
    [JsonPropertyName("major")] public long Major { get; set; }
    [JsonPropertyName("minor")] public long Minor { get; set; }
    [JsonPropertyName("fileMode")] public uint? FileMode { get; set; }
    [JsonPropertyName("uid")] public uint? Uid { get; set; }
    [JsonPropertyName("gid")] public uint? Gid { get; set; }
}

/// <summary>A namespace to create or join.</summary>
internal sealed class OciNamespace
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("path")] public string? Path { get; set; }
}

/// <summary>cgroup limits.</summary>
internal sealed class OciResources
{
    [JsonPropertyName("devices")] public List<OciDeviceRule>? Devices { get; set; }
    [JsonPropertyName("memory")] public OciMemory? Memory { get; set; }
    [JsonPropertyName("cpu")] public OciCpu? Cpu { get; set; }
    [JsonPropertyName("pids")] public OciPids? Pids { get; set; }
}

/// <summary>A device cgroup rule.</summary>
internal sealed class OciDeviceRule
{
    [JsonPropertyName("allow")] public bool Allow { get; set; }
    [JsonPropertyName("access")] public string? Access { get; set; }
}

/// <summary>Memory limits in bytes.</summary>
internal sealed class OciMemory
{
    [JsonPropertyName("limit")] public long? Limit { get; set; }
    [JsonPropertyName("swap")] public long? Swap { get; set; }
    [JsonPropertyName("reservation")] public long? Reservation { get; set; }
}

/// <summary>CPU limits.</summary>
internal sealed class OciCpu
{
    [JsonPropertyName("quota")] public long? Quota { get; set; }
    [JsonPropertyName("period")] public ulong? Period { get; set; }
    [JsonPropertyName("shares")] public ulong? Shares { get; set; }
    [JsonPropertyName("cpus")] public string? Cpus { get; set; }
}

/// <summary>Process-count limit.</summary>
internal sealed class OciPids
{
    [JsonPropertyName("limit")] public long Limit { get; set; }
}
