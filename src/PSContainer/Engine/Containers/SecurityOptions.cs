using PSContainer.Engine.Runtime;

namespace PSContainer.Engine.Containers;

/// <summary>Reads -SecurityOpt, -CapAdd, -CapDrop and -Privileged into <see cref="SecuritySettings"/>, with Docker's syntax.</summary>
internal static class SecurityOptions
{
    /// <summary>
    /// The settings the arguments describe. A relative profile path is relative to <paramref name="currentDirectory"/>;
    /// a profile file is read and checked now, so a bad one fails the creation rather than the start.
    /// </summary>
    public static SecuritySettings Parse(IEnumerable<string>? securityOpt, IEnumerable<string>? capAdd, IEnumerable<string>? capDrop, bool privileged, string currentDirectory)
    {
        var settings = new SecuritySettings
        {
            Privileged = privileged,
            CapAdd = Capabilities(capAdd),
            CapDrop = Capabilities(capDrop),
        };
        foreach (var option in securityOpt ?? [])
            Apply(settings, option.Trim(), currentDirectory);
        return settings;
    }

    private static List<string> Capabilities(IEnumerable<string>? names) =>
        (names ?? []).SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(LinuxCapabilities.Normalize).Distinct(StringComparer.Ordinal).ToList();

    private static void Apply(SecuritySettings settings, string option, string currentDirectory)
    {
        if (option == "no-new-privileges")
        {
            settings.NoNewPrivileges = true;
            settings.Options.Add("no-new-privileges=true");
            return;
        }
        // Docker's separator is '='; ':' is its older spelling, still accepted.
        var separator = option.Contains('=') ? '=' : ':';
        var parts = option.Split(separator, 2);
        if (parts.Length < 2 || parts[1].Length == 0)
            throw Invalid(option, "expected name=value (or no-new-privileges)");
        var (key, value) = (parts[0], parts[1]);
        switch (key)
        {
            case "no-new-privileges":
                settings.NoNewPrivileges = ParseBool(value) ?? throw Invalid(option, "expected true or false");
                settings.Options.Add("no-new-privileges=" + (settings.NoNewPrivileges ? "true" : "false"));
                break;
            case "seccomp":
                SetProfile(settings, value, currentDirectory);
                settings.Options.Add("seccomp=" + settings.SeccompProfile);
                break;
            case "systempaths" when value == "unconfined":
                settings.UnmaskedSystemPaths = true;
                settings.Options.Add(option);
                break;
            // PSContainer applies no LSM profile: asking for none is what happens anyway.
            case "apparmor" when value == "unconfined":
            case "label" when value == "disable":
                settings.Options.Add(key + "=" + value);
                break;
            case "apparmor" or "label":
                throw new EngineException("SecurityOptNotSupported", EngineErrorKind.InvalidArgument,
                    $"-SecurityOpt '{option}' is not supported: PSContainer applies no AppArmor or SELinux profile (only {key}={(key == "label" ? "disable" : "unconfined")} is accepted).", option);
            default:
                throw Invalid(option, "expected seccomp=unconfined|<profile.json>, no-new-privileges[=true|false] or systempaths=unconfined");
        }
    }

    private static void SetProfile(SecuritySettings settings, string value, string currentDirectory)
    {
        switch (value)
        {
            case SecuritySettings.Unconfined:
                settings.SeccompProfile = SecuritySettings.Unconfined;
                settings.SeccompProfileJson = null;
                return;
            // "builtin" is Docker's name for its default profile.
            case SecuritySettings.DefaultProfile or "builtin":
                settings.SeccompProfile = SecuritySettings.DefaultProfile;
                settings.SeccompProfileJson = null;
                return;
        }
        var path = Path.GetFullPath(value, currentDirectory);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EngineException("SeccompProfileUnreadable", EngineErrorKind.NotFound, $"Cannot read the seccomp profile {path}: {ex.Message}", path, ex);
        }
        SeccompProfile.Parse(json, path);
        settings.SeccompProfile = path;
        settings.SeccompProfileJson = json;
    }

    // Go's strconv.ParseBool, which Docker uses for these values.
    private static bool? ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };

    private static EngineException Invalid(string option, string expected) =>
        new("InvalidSecurityOpt", EngineErrorKind.InvalidArgument, $"Invalid -SecurityOpt '{option}': {expected}.", option);
}
