using System.Globalization;
using PSContainer.Engine.Networks;

namespace PSContainer.Engine.Compose;

/// <summary>
/// Brings one file's services to the shapes the merge works on, before files are merged: list-or-map keys
/// (environment, labels, build args, sysctls, extra_hosts, networks, depends_on) become maps, and ports and
/// volumes become long-syntax mappings, so that entries meet by key as the Compose merge rules say.
/// </summary>
internal static class ComposeShapes
{
    public static void Apply(YamlMap file, string source)
    {
        if (file.GetValueOrDefault("services") is not YamlMap services) return;
        foreach (var (name, value) in services)
        {
            if (value is not YamlMap service) continue;
            var path = $"services.{name}";
            MapOf(service, "environment", path, '=', nullForBare: true);
            MapOf(service, "labels", path, '=', nullForBare: false);
            MapOf(service, "sysctls", path, '=', nullForBare: false);
            MapOf(service, "annotations", path, '=', nullForBare: false);
            HostsOf(service, path);
            NamesOf(service, "networks", path, _ => null);
            NamesOf(service, "depends_on", path, _ => new YamlMap { ["condition"] = "service_started" });
            if (service.GetValueOrDefault("build") is YamlMap build)
            {
                MapOf(build, "args", path + ".build", '=', nullForBare: true);
                MapOf(build, "labels", path + ".build", '=', nullForBare: false);
            }
            else if (service.GetValueOrDefault("build") is string context)
            {
                service["build"] = new YamlMap { ["context"] = context };
            }
            if (service.GetValueOrDefault("ports") is List<object?> ports)
                service["ports"] = ports.SelectMany((p, i) => Ports(p, $"{path}.ports[{i}]")).ToList();
            if (service.GetValueOrDefault("volumes") is List<object?> volumes)
                service["volumes"] = volumes.Select((v, i) => Volume(v, $"{path}.volumes[{i}]")).ToList();
            foreach (var key in new[] { "env_file", "dns", "dns_search", "tmpfs", "expose", "profiles", "cap_add", "cap_drop" })
                if (service.GetValueOrDefault(key) is string single) service[key] = new List<object?> { single };
        }
    }

    /// <summary>A list of "KEY=VALUE" (or "KEY") becomes a map; a map stays, its values as text.</summary>
    private static void MapOf(YamlMap owner, string key, string path, char separator, bool nullForBare)
    {
        switch (owner.GetValueOrDefault(key))
        {
            case List<object?> list:
                var map = new YamlMap();
                foreach (var item in list)
                {
                    if (item is not string entry) throw ComposeErrors.InvalidValue($"{path}.{key}", "list entries must be KEY=VALUE strings.");
                    var at = entry.IndexOf(separator);
                    map[at < 0 ? entry : entry[..at]] = at < 0 ? (nullForBare ? null : "") : entry[(at + 1)..];
                }
                owner[key] = map;
                break;
            case YamlMap:
            case null:
            case YamlTagged:
                break;
            default:
                throw ComposeErrors.InvalidValue($"{path}.{key}", "must be a list of KEY=VALUE strings or a mapping.");
        }
    }

    /// <summary>extra_hosts: "host:ip", "host=ip" or a map, to a map of host to address.</summary>
    private static void HostsOf(YamlMap service, string path)
    {
        if (service.GetValueOrDefault("extra_hosts") is not List<object?> list) return;
        var map = new YamlMap();
        foreach (var item in list)
        {
            var entry = item as string ?? throw ComposeErrors.InvalidValue(path + ".extra_hosts", "entries must be host:address strings.");
            var at = entry.IndexOf('=') is >= 0 and var eq ? eq : entry.IndexOf(':');
            if (at <= 0) throw ComposeErrors.InvalidValue(path + ".extra_hosts", $"'{entry}' is not host:address.");
            map[entry[..at]] = entry[(at + 1)..];
        }
        service["extra_hosts"] = map;
    }

    /// <summary>A list of names becomes a map of name to a default value.</summary>
    private static void NamesOf(YamlMap service, string key, string path, Func<string, object?> value)
    {
        if (service.GetValueOrDefault(key) is not List<object?> list) return;
        var map = new YamlMap();
        foreach (var item in list)
        {
            var name = item as string ?? throw ComposeErrors.InvalidValue($"{path}.{key}", "list entries must be names.");
            map[name] = value(name);
        }
        service[key] = map;
    }

    /// <summary>A port entry in long syntax; a short one with a range gives one entry per port.</summary>
    private static IEnumerable<object?> Ports(object? item, string path)
    {
        if (item is YamlMap or YamlTagged) return [item];
        if (item is not string text) throw ComposeErrors.InvalidValue(path, "a port is a string, a number or a mapping.");
        List<PortMapping> parsed;
        try
        {
            parsed = PortMapping.Parse(text);
        }
        catch (EngineException ex)
        {
            throw ComposeErrors.InvalidValue(path, ex.Message);
        }
        return parsed.Select(p =>
        {
            var map = new YamlMap { ["target"] = p.ContainerPort.ToString(CultureInfo.InvariantCulture) };
            if (p.HostPort != 0) map["published"] = p.HostPort.ToString(CultureInfo.InvariantCulture);
            if (p.HostIp.Length > 0) map["host_ip"] = p.HostIp;
            map["protocol"] = p.Protocol;
            return (object?)map;
        });
    }

    /// <summary>A volume entry in long syntax: "[source:]target[:mode]" to type, source, target and read_only.</summary>
    private static object? Volume(object? item, string path)
    {
        if (item is YamlMap or YamlTagged) return item;
        if (item is not string text || text.Length == 0) throw ComposeErrors.InvalidValue(path, "a volume is a string or a mapping.");
        var parts = text.Split(':');
        if (parts.Length > 3) throw ComposeErrors.InvalidValue(path, $"'{text}' has too many ':' parts; use [source:]target[:mode].");
        var map = new YamlMap();
        if (parts.Length == 1)
        {
            map["type"] = "volume";
            map["target"] = parts[0];
            return map;
        }
        var source = parts[0];
        var bind = source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~');
        map["type"] = bind ? "bind" : "volume";
        map["source"] = source;
        map["target"] = parts[1];
        if (parts.Length == 3)
        {
            foreach (var option in parts[2].Split(','))
            {
                switch (option)
                {
                    case "ro":
                        map["read_only"] = "true";
                        break;
                    case "rw":
                        break;
                    case "nocopy" when !bind:
                        map["volume"] = new YamlMap { ["nocopy"] = "true" };
                        break;
                    case "z" or "Z" when bind:
                        map["bind"] = new YamlMap { ["selinux"] = option };
                        break;
                    default:
                        throw ComposeErrors.InvalidValue(path, $"'{option}' is not a volume mode (ro, rw" + (bind ? ", z, Z)." : ", nocopy)."));
                }
            }
        }
        if (bind)
        {
            // The short syntax creates a missing host path, as docker run -v does.
            var bindOptions = map.GetValueOrDefault("bind") as YamlMap ?? new YamlMap();
            bindOptions["create_host_path"] = "true";
            map["bind"] = bindOptions;
        }
        return map;
    }
}
