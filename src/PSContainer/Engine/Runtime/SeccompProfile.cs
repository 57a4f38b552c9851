using System.Text.Json;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// Turns a seccomp profile document into the OCI <c>linux.seccomp</c> section for one container, as Docker
/// does: rules whose capability, architecture or kernel conditions the container and host do not meet are
/// left out, and <c>archMap</c> becomes the host's architectures. The default profile is the data file
/// DefaultSeccompProfile.json, embedded in the module.
/// </summary>
internal static class SeccompProfile
{
    private const string DefaultResource = "PSContainer.DefaultSeccompProfile.json";

    private static readonly HashSet<string> Actions =
    [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ];

    private static readonly HashSet<string> Operators =
    [
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
    ];

    private static readonly HashSet<string> Architectures =
    [
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
    ];

    private static readonly HashSet<string> Flags =
    [
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    ];

    private static readonly Lazy<SeccompProfileDocument> DefaultDocument = new(LoadDefault);

    /// <summary>The engine's default profile.</summary>
    public static SeccompProfileDocument Default => DefaultDocument.Value;

    /// <summary>
    /// Reads and checks a profile in Docker's or the OCI format; <paramref name="source"/> names it in errors.
    /// Throws an EngineException that says what is wrong.
    /// </summary>
    public static SeccompProfileDocument Parse(string json, string source)
    {
        SeccompProfileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, SeccompJsonContext.Default.SeccompProfileDocument);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, $"it is not valid JSON ({ex.Message})");
        }
        if (document is null) throw Invalid(source, "it is empty");
        Check(document, source);
        return document;
    }

    /// <summary>
    /// The OCI section for a container whose bounding capability set is <paramref name="bounding"/>, on
    /// <paramref name="host"/>. Rules are kept in the profile's order.
    /// </summary>
    public static OciSeccomp Generate(SeccompProfileDocument document, IReadOnlyCollection<string> bounding, SeccompHost host)
    {
        var seccomp = new OciSeccomp
        {
            DefaultAction = document.DefaultAction!,
            DefaultErrnoRet = document.DefaultErrnoRet,
            Architectures = document.Architectures is { Count: > 0 } listed ? [.. listed] : ArchitecturesOf(document, host),
            Flags = document.Flags is { Count: > 0 } flags ? [.. flags] : null,
            ListenerPath = document.ListenerPath,
            ListenerMetadata = document.ListenerMetadata,
        };
        foreach (var rule in document.Syscalls ?? [])
        {
            if (!Applies(rule, bounding, host)) continue;
            seccomp.Syscalls.Add(new OciSyscallRule
            {
                Names = rule.Name is { } name ? [name] : [.. rule.Names!],
                Action = rule.Action!,
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is { Count: > 0 } args
                    ? args.Select(a => new OciSyscallArg { Index = a.Index, Value = a.Value, ValueTwo = a.ValueTwo, Op = a.Op! }).ToList()
                    : null,
            });
        }
        return seccomp;
    }

    private static List<string>? ArchitecturesOf(SeccompProfileDocument document, SeccompHost host)
    {
        var native = host.SeccompArchitecture;
        var mapping = document.ArchMap?.FirstOrDefault(m => m.Architecture == native);
        return mapping is null ? null : [mapping.Architecture, .. mapping.SubArchitectures ?? []];
    }

    private static bool Applies(SeccompProfileDocument.Rule rule, IReadOnlyCollection<string> bounding, SeccompHost host)
    {
        if (rule.Excludes is { } excludes)
        {
            if (excludes.Arches is { Count: > 0 } arches && arches.Contains(host.Architecture)) return false;
            if (excludes.Caps is { Count: > 0 } caps && caps.Any(bounding.Contains)) return false;
            if (excludes.MinKernel is { } min && host.Kernel >= SeccompHost.KernelVersion(min)) return false;
        }
        if (rule.Includes is { } includes)
        {
            if (includes.Arches is { Count: > 0 } arches && !arches.Contains(host.Architecture)) return false;
            if (includes.Caps is { Count: > 0 } caps && !caps.All(bounding.Contains)) return false;
            if (includes.MinKernel is { } min && host.Kernel < SeccompHost.KernelVersion(min)) return false;
        }
        return true;
    }

    private static void Check(SeccompProfileDocument document, string source)
    {
        if (string.IsNullOrEmpty(document.DefaultAction))
            throw Invalid(source, "it has no defaultAction");
        CheckAction(document.DefaultAction, "defaultAction", source);
        if (document.Architectures is { Count: > 0 } && document.ArchMap is { Count: > 0 })
            throw Invalid(source, "it has both 'architectures' and 'archMap'; use one of them");
        foreach (var architecture in (document.Architectures ?? []).Concat((document.ArchMap ?? []).SelectMany(m => (m.SubArchitectures ?? []).Prepend(m.Architecture))))
            if (!Architectures.Contains(architecture))
                throw Invalid(source, $"architecture '{architecture}' is unknown (expected a name such as SCMP_ARCH_X86_64)");
        foreach (var flag in document.Flags ?? [])
            if (!Flags.Contains(flag))
                throw Invalid(source, $"flag '{flag}' is unknown");
        var number = 0;
        foreach (var rule in document.Syscalls ?? [])
        {
            number++;
            var where = $"syscalls[{number - 1}]";
            if (rule.Name is not null && rule.Names is { Count: > 0 })
                throw Invalid(source, $"{where} has both 'name' and 'names'; use one of them");
            if (rule.Name is null && rule.Names is not { Count: > 0 })
                throw Invalid(source, $"{where} names no system call");
            if ((rule.Names ?? []).Append(rule.Name).Any(n => n is not null && (n.Length == 0 || n.Any(char.IsWhiteSpace))))
                throw Invalid(source, $"{where} has an empty or malformed system call name");
            if (string.IsNullOrEmpty(rule.Action))
                throw Invalid(source, $"{where} has no action");
            CheckAction(rule.Action, where + ".action", source);
            foreach (var arg in rule.Args ?? [])
            {
                if (arg.Index > 5)
                    throw Invalid(source, $"{where} filters argument {arg.Index}; system calls have arguments 0 to 5");
                if (arg.Op is null || !Operators.Contains(arg.Op))
                    throw Invalid(source, $"{where} has operator '{arg.Op}'; expected one of {string.Join(", ", Operators)}");
            }
            foreach (var kernel in new[] { rule.Includes?.MinKernel, rule.Excludes?.MinKernel })
                if (kernel is not null && SeccompHost.KernelVersion(kernel) == new Version(0, 0))
                    throw Invalid(source, $"{where} has minKernel '{kernel}'; expected a version such as 4.8");
        }
    }

    private static void CheckAction(string action, string where, string source)
    {
        if (!Actions.Contains(action))
            throw Invalid(source, $"{where} '{action}' is unknown; expected one of {string.Join(", ", Actions)}");
    }

    private static EngineException Invalid(string source, string problem) =>
        new("InvalidSeccompProfile", EngineErrorKind.InvalidArgument, $"The seccomp profile {source} cannot be used: {problem}.", source);

    private static SeccompProfileDocument LoadDefault()
    {
        using var stream = typeof(SeccompProfile).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"The module lacks its embedded resource {DefaultResource}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "(default)");
    }
}
