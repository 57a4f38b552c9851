using System.Globalization;

namespace PSContainer.Engine.Volumes;

/// <summary>
/// Reads mounts in Docker's notations: the -v short form (<c>name:/path[:ro]</c>, <c>/host:/path</c>, <c>/path</c>)
/// and the --mount fields (<c>type=volume,source=x,target=/y,readonly</c>), which the cmdlets also build from hashtables.
/// </summary>
internal static class MountParser
{
    private static readonly string[] IgnoredVolumeOptions = ["z", "Z"];

    /// <summary>
    /// Reads a -Volume entry: <c>[source:]target[:options]</c>. A source starting with '/' or '.' is a host path
    /// (relative ones are taken from <paramref name="currentDirectory"/>), anything else a volume name; no source
    /// makes an anonymous volume. Options: ro, rw, nocopy, and z or Z (SELinux labels, ignored).
    /// </summary>
    public static MountSetting ParseVolume(string spec, string currentDirectory)
    {
        var parts = spec.Split(':');
        string? source = null;
        string target;
        string? options = null;
        switch (parts.Length)
        {
            case 1:
                target = parts[0];
                break;
            case 2 when parts[1].StartsWith('/'):
                (source, target) = (parts[0], parts[1]);
                break;
            case 2:
                (target, options) = (parts[0], parts[1]);
                break;
            case 3:
                (source, target, options) = (parts[0], parts[1], parts[2]);
                break;
            default:
                throw Invalid(spec, "expected [source:]target[:options]");
        }
        if (source is { Length: 0 })
            throw Invalid(spec, "the source is empty");
        var mount = new MountSetting { Target = CleanTarget(target, spec) };
        if (source is null)
        {
            mount.Type = MountType.Volume;
            mount.Anonymous = true;
        }
        else if (source.StartsWith('/') || source.StartsWith('.'))
        {
            mount.Type = MountType.Bind;
            mount.Source = Path.GetFullPath(source, currentDirectory).TrimEnd('/') is { Length: > 0 } host ? host : "/";
        }
        else
        {
            mount.Type = MountType.Volume;
            mount.Source = ValidVolumeName(source, spec);
        }
        bool? readOnly = null;
        foreach (var option in (options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (option)
            {
                case "ro" or "rw":
                    if (readOnly is not null)
                        throw Invalid(spec, "give ro or rw once");
                    readOnly = option == "ro";
                    break;
                case "nocopy" when mount.Type == MountType.Volume:
                    mount.NoCopy = true;
                    break;
                case var ignored when IgnoredVolumeOptions.Contains(ignored, StringComparer.Ordinal):
                    break;
                default:
                    throw Invalid(spec, $"'{option}' is not one of ro, rw, nocopy, z, Z");
            }
        }
        mount.ReadOnly = readOnly ?? false;
        return mount;
    }

    /// <summary>Reads a -Mount string: comma-separated <c>key=value</c> fields, a bare key meaning true.</summary>
    public static MountSetting ParseMount(string spec, string currentDirectory)
    {
        var fields = new List<KeyValuePair<string, string?>>();
        foreach (var field in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = field.Split('=', 2);
            fields.Add(new(pair[0], pair.Length > 1 ? pair[1] : null));
        }
        return FromFields(fields, currentDirectory, spec);
    }

    /// <summary>
    /// Builds a mount from --mount fields. Keys ignore case and dashes, so <c>tmpfs-size</c> and <c>TmpfsSize</c>
    /// are one key: type (volume, bind or tmpfs; default volume), source or src, target, destination or dst,
    /// readonly or ro, volume-nocopy, tmpfs-size (bytes, or with a k, m or g suffix) and tmpfs-mode (octal).
    /// A null value means true. <paramref name="display"/> names the mount in errors.
    /// </summary>
    public static MountSetting FromFields(IEnumerable<KeyValuePair<string, string?>> fields, string currentDirectory, string display)
    {
        string? type = null, source = null, target = null, size = null, mode = null;
        bool readOnly = false, noCopy = false;
        foreach (var (rawKey, value) in fields)
        {
            switch (rawKey.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant())
            {
                case "type": type = Text(rawKey, value, display).ToLowerInvariant(); break;
                case "source" or "src": source = Text(rawKey, value, display); break;
                case "target" or "destination" or "dst": target = Text(rawKey, value, display); break;
                case "readonly" or "ro": readOnly = Flag(rawKey, value, display); break;
                case "volumenocopy" or "nocopy": noCopy = Flag(rawKey, value, display); break;
                case "tmpfssize": size = Text(rawKey, value, display); break;
                case "tmpfsmode": mode = Text(rawKey, value, display); break;
                default:
                    throw Invalid(display, $"'{rawKey}' is not one of type, source, target, readonly, volume-nocopy, tmpfs-size, tmpfs-mode");
            }
        }
        if (target is null)
            throw Invalid(display, "it has no target");
        var mount = new MountSetting { Target = CleanTarget(target, display), ReadOnly = readOnly };
        switch (type ?? "volume")
        {
            case "volume":
                mount.Type = MountType.Volume;
                mount.NoCopy = noCopy;
                if (source is null or "")
                    mount.Anonymous = true;
                else
                    mount.Source = ValidVolumeName(source, display);
                break;
            case "bind":
                if (source is null or "")
                    throw Invalid(display, "a bind mount needs a source");
                mount.Type = MountType.Bind;
                mount.Source = Path.GetFullPath(source, currentDirectory).TrimEnd('/') is { Length: > 0 } host ? host : "/";
                break;
            case "tmpfs":
                if (source is not null)
                    throw Invalid(display, "a tmpfs has no source");
                mount.Type = MountType.Tmpfs;
                mount.TmpfsSize = size is null ? null : ParseSize(size, display);
                mount.TmpfsMode = mode is null ? null : ParseMode(mode, display);
                break;
            default:
                throw Invalid(display, $"type '{type}' is not one of volume, bind, tmpfs");
        }
        if (mount.Type != MountType.Tmpfs && (size ?? mode) is not null)
            throw Invalid(display, "tmpfs-size and tmpfs-mode are for tmpfs mounts");
        if (mount.Type != MountType.Volume && noCopy)
            throw Invalid(display, "volume-nocopy is for volume mounts");
        return mount;
    }

    /// <summary>
    /// A mount destination in clean form ("/a/b"): it must be absolute, must not be the root and must not
    /// contain "..", which could otherwise lead the runtime out of the container's root.
    /// </summary>
    public static string CleanTarget(string target, string display)
    {
        if (!target.StartsWith('/'))
            throw new EngineException("InvalidMountDestination", EngineErrorKind.InvalidArgument,
                $"Mount '{display}': the destination '{target}' must be an absolute path.", display);
        var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw new EngineException("InvalidMountDestination", EngineErrorKind.InvalidArgument,
                $"Mount '{display}': the destination '{target}' must not contain '..'.", display);
        if (parts.Count == 0)
            throw new EngineException("InvalidMountDestination", EngineErrorKind.InvalidArgument,
                $"Mount '{display}': nothing can be mounted over the container's root.", display);
        return "/" + string.Join('/', parts);
    }

    /// <summary>Bytes from "67108864", "64m", "64MB", "1g"; k, m and g are powers of 1024 as in Docker.</summary>
    public static long ParseSize(string text, string display)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed.EndsWith('b')) trimmed = trimmed[..^1];
        var multiplier = trimmed.Length > 0 ? trimmed[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 1L } : 1L;
        if (multiplier != 1) trimmed = trimmed[..^1];
        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > long.MaxValue / multiplier)
            throw Invalid(display, $"'{text}' is not a size (bytes, or a number with k, m or g)");
        return value * multiplier;
    }

    private static uint ParseMode(string text, string display)
    {
        try
        {
            var mode = Convert.ToUInt32(text, 8);
            return mode <= 0xFFF ? mode : throw Invalid(display, $"tmpfs-mode '{text}' has bits beyond 7777");
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw Invalid(display, $"tmpfs-mode '{text}' is not an octal mode");
        }
    }

    private static string ValidVolumeName(string name, string display)
    {
        if (!VolumeNames.IsValid(name))
            throw new EngineException("InvalidVolumeName", EngineErrorKind.InvalidArgument,
                $"Mount '{display}': '{name}' is not a valid volume name (letters, digits, '_', '.', '-'; a host path starts with '/' or '.').", display);
        return name;
    }

    private static string Text(string key, string? value, string display) =>
        value ?? throw Invalid(display, $"'{key}' needs a value");

    private static bool Flag(string key, string? value, string display) => value?.ToLowerInvariant() switch
    {
        null or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw Invalid(display, $"'{key}' must be true or false, not '{value}'"),
    };

    private static EngineException Invalid(string display, string reason) =>
        new("InvalidMount", EngineErrorKind.InvalidArgument, $"Invalid mount '{display}': {reason}.", display);
}
