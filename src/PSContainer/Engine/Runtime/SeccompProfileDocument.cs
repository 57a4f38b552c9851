using System.Text.Json.Serialization;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// A seccomp profile in Docker's format, which is a superset of the OCI <c>linux.seccomp</c> section: rules
/// may depend on the container's capabilities, the host's architecture and its kernel version, and
/// <c>archMap</c> lists architectures per host. The engine's default profile and profiles given with
/// <c>-SecurityOpt seccomp=&lt;file&gt;</c> are both read as this document.
/// </summary>
internal sealed class SeccompProfileDocument
{
    [JsonPropertyName("defaultAction")] public string? DefaultAction { get; set; }
    [JsonPropertyName("defaultErrnoRet")] public uint? DefaultErrnoRet { get; set; }
    [JsonPropertyName("architectures")] public List<string>? Architectures { get; set; }
    [JsonPropertyName("archMap")] public List<ArchitectureMapping>? ArchMap { get; set; }
    [JsonPropertyName("flags")] public List<string>? Flags { get; set; }
    [JsonPropertyName("listenerPath")] public string? ListenerPath { get; set; }
    [JsonPropertyName("listenerMetadata")] public string? ListenerMetadata { get; set; }
    [JsonPropertyName("syscalls")] public List<Rule>? Syscalls { get; set; }

    /// <summary>The architectures a filter covers on a host whose native architecture is <see cref="Architecture"/>.</summary>
    internal sealed class ArchitectureMapping
    {
        [JsonPropertyName("architecture")] public string Architecture { get; set; } = "";
        [JsonPropertyName("subArchitectures")] public List<string>? SubArchitectures { get; set; }
    }

    /// <summary>An action for some system calls, possibly only for some arguments, capabilities, architectures or kernels.</summary>
    internal sealed class Rule
    {
        /// <summary>One system call (Docker's older form); a rule has either this or <see cref="Names"/>.</summary>
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("names")] public List<string>? Names { get; set; }
        [JsonPropertyName("action")] public string? Action { get; set; }
        [JsonPropertyName("errnoRet")] public uint? ErrnoRet { get; set; }
        [JsonPropertyName("args")] public List<Argument>? Args { get; set; }
        [JsonPropertyName("includes")] public Condition? Includes { get; set; }
        [JsonPropertyName("excludes")] public Condition? Excludes { get; set; }
    }

    /// <summary>
    /// When a rule applies. As <c>includes</c>: every capability held, the host architecture listed, at least
    /// that kernel. As <c>excludes</c>: any capability held, the architecture listed, at least that kernel.
    /// </summary>
    internal sealed class Condition
    {
        [JsonPropertyName("caps")] public List<string>? Caps { get; set; }
        [JsonPropertyName("arches")] public List<string>? Arches { get; set; }
        [JsonPropertyName("minKernel")] public string? MinKernel { get; set; }
    }

    /// <summary>A comparison on one system call argument.</summary>
    internal sealed class Argument
    {
        [JsonPropertyName("index")] public uint Index { get; set; }
        [JsonPropertyName("value")] public ulong Value { get; set; }
        [JsonPropertyName("valueTwo")] public ulong ValueTwo { get; set; }
        [JsonPropertyName("op")] public string? Op { get; set; }
    }
}
