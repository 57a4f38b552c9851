using System.Globalization;
using System.Text.Json;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Volumes;

namespace PSContainer.Api.Endpoints;

/// <summary>
/// Turns a <c>POST /containers/create</c> body into the engine's create request. Every field is either
/// mapped, ignored because it changes nothing here (attach flags, metadata), or — when it asks for something
/// PSContainer does not do and is not at its default — refused with a 400 that names it, never dropped silently.
/// </summary>
internal static class ContainerCreation
{
    // Fields that only say how a client will attach, or describe rather than configure.
    private static readonly HashSet<string> InformationalConfig = new(StringComparer.OrdinalIgnoreCase)
    {
        "AttachStdin", "AttachStdout", "AttachStderr", "ArgsEscaped", "OnBuild", "Shell", "ExposedPorts", "HostConfig", "NetworkingConfig",
    };

    // HostConfig fields docker and its SDKs send with defaults; accepted only at those defaults.
    private static readonly HashSet<string> InformationalHost = new(StringComparer.OrdinalIgnoreCase)
    {
        "ConsoleSize", "Isolation", "CgroupnsMode", "MaskedPaths", "ReadonlyPaths", "ContainerIDFile", "VolumeDriver", "KernelMemory",
        "MemorySwappiness", "OomKillDisable", "Annotations",
    };

    public static CreateContainerRequest Map(JsonElement body, string? name)
    {
        var settings = new ContainerSettings();
        string? image = null;
        foreach (var field in body.EnumerateObject())
        {
            var value = field.Value;
            switch (field.Name.ToLowerInvariant())
            {
                case "image": image = Text(value); break;
                case "cmd": settings.Command = Strings(value); break;
                case "entrypoint": settings.Entrypoint = Strings(value); break;
                case "env": settings.Environment = Strings(value) ?? []; break;
                case "workingdir": settings.WorkingDirectory = NonEmpty(value); break;
                case "user": settings.User = NonEmpty(value); break;
                case "hostname": settings.Hostname = NonEmpty(value); break;
                case "labels": settings.Labels = value.ValueKind == JsonValueKind.Null ? [] : Json.Convert<Dictionary<string, string>>(value) ?? []; break;
                case "tty": settings.Tty = Bool(value); break;
                case "openstdin": settings.Interactive = Bool(value); break;
                case "stdinonce": settings.StdinOnce = Bool(value); break;
                case "stopsignal": if (NonEmpty(value) is { } signal) settings.StopSignal = signal; break;
                case "stoptimeout": if (value.ValueKind == JsonValueKind.Number) settings.StopTimeout = value.GetInt32(); break;
                case "volumes":
                    if (value.ValueKind == JsonValueKind.Object)
                        foreach (var volume in value.EnumerateObject())
                            settings.Mounts.Add(new MountSetting { Type = MountType.Volume, Anonymous = true, Target = MountParser.CleanTarget(volume.Name, volume.Name) });
                    break;
                case "healthcheck":
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Test", out var test) && Strings(test) is { Count: > 0 } probe && probe[0] != "NONE")
                        throw Unsupported("Config.Healthcheck");
                    break;
                case "domainname" or "macaddress" or "networkdisabled":
                    RefuseUnlessDefault(value, "Config." + field.Name);
                    break;
                default:
                    if (!InformationalConfig.Contains(field.Name)) RefuseUnlessDefault(value, "Config." + field.Name);
                    break;
            }
        }
        if (string.IsNullOrEmpty(image)) throw ApiException.BadRequest("config.Image is required: name the image to create the container from");
        if (body.TryGetProperty("HostConfig", out var host) && host.ValueKind == JsonValueKind.Object) MapHost(host, settings);
        if (body.TryGetProperty("NetworkingConfig", out var networking) && networking.ValueKind == JsonValueKind.Object) MapNetworking(networking, settings);
        return new CreateContainerRequest { Image = image, Name = name, Settings = settings };
    }

    private static void MapHost(JsonElement host, ContainerSettings settings)
    {
        long? cpuQuota = null, cpuPeriod = null;
        foreach (var field in host.EnumerateObject())
        {
            var value = field.Value;
            switch (field.Name.ToLowerInvariant())
            {
                case "binds":
                    foreach (var bind in Strings(value) ?? [])
                        settings.Mounts.Add(Engine(() => MountParser.ParseVolume(bind, "/")));
                    break;
                case "mounts":
                    if (value.ValueKind == JsonValueKind.Array)
                        foreach (var mount in value.EnumerateArray()) settings.Mounts.Add(Mount(mount));
                    break;
                case "tmpfs":
                    if (value.ValueKind == JsonValueKind.Object)
                        foreach (var tmpfs in value.EnumerateObject())
                        {
                            var fields = new List<KeyValuePair<string, string?>> { new("type", "tmpfs"), new("target", tmpfs.Name) };
                            foreach (var option in (tmpfs.Value.GetString() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                            {
                                var pair = option.Split('=', 2);
                                fields.Add(pair[0] switch
                                {
                                    "size" => new("tmpfs-size", pair.ElementAtOrDefault(1)),
                                    "mode" => new("tmpfs-mode", pair.ElementAtOrDefault(1)),
                                    "ro" => new("readonly", null),
                                    "rw" => new("readonly", "false"),
                                    _ => throw ApiException.BadRequest($"HostConfig.Tmpfs option '{option}' is not supported by PSContainer (size, mode, ro, rw are)"),
                                });
                            }
                            settings.Mounts.Add(Engine(() => MountParser.FromFields(fields, "/", tmpfs.Name)));
                        }
                    break;
                case "memory": settings.Memory = PositiveLong(value); break;
                case "memoryswap": settings.MemorySwap = value.ValueKind == JsonValueKind.Number && value.GetInt64() != 0 ? value.GetInt64() : null; break;
                case "nanocpus": if (PositiveLong(value) is { } nano) settings.Cpus = nano / 1e9; break;
                case "cpuquota": cpuQuota = PositiveLong(value); break;
                case "cpuperiod": cpuPeriod = PositiveLong(value); break;
                case "pidslimit": settings.PidsLimit = PositiveLong(value); break;
                case "readonlyrootfs": settings.ReadOnly = Bool(value); break;
                case "autoremove": settings.AutoRemove = Bool(value); break;
                case "runtime": settings.Runtime = NonEmpty(value) is { } runtime && runtime != "runc" && runtime != "crun" ? runtime : NonEmpty(value); break;
                case "publishallports": settings.PublishAll = Bool(value); break;
                case "networkmode": settings.Network = NonEmpty(value) is { } mode && mode != "default" ? mode : null; break;
                case "portbindings": settings.Ports.AddRange(Ports(value)); break;
                case "ulimits":
                    if (value.ValueKind == JsonValueKind.Array)
                        foreach (var limit in value.EnumerateArray())
                            settings.Ulimits.Add(new UlimitSetting
                            {
                                Name = limit.GetProperty("Name").GetString() ?? "",
                                Soft = (ulong)limit.GetProperty("Soft").GetInt64(),
                                Hard = (ulong)limit.GetProperty("Hard").GetInt64(),
                            });
                    break;
                case "restartpolicy":
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Name", out var policy) && policy.GetString() is { Length: > 0 } p && p != "no")
                        throw Unsupported($"HostConfig.RestartPolicy '{p}'");
                    break;
                case "logconfig":
                    if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Type", out var type) && type.GetString() is { Length: > 0 } driver && driver is not ("json-file" or "k8s-file" or "local"))
                        throw Unsupported($"HostConfig.LogConfig.Type '{driver}'");
                    break;
                default:
                    if (!InformationalHost.Contains(field.Name)) RefuseUnlessDefault(value, "HostConfig." + field.Name);
                    break;
            }
        }
        if (cpuQuota is { } quota) settings.Cpus = quota / (double)(cpuPeriod ?? 100_000);
    }

    private static void MapNetworking(JsonElement networking, ContainerSettings settings)
    {
        if (!networking.TryGetProperty("EndpointsConfig", out var endpoints) || endpoints.ValueKind != JsonValueKind.Object) return;
        foreach (var endpoint in endpoints.EnumerateObject())
        {
            // Compose names the network here as well as in NetworkMode; a second network is connected after creation.
            settings.Network ??= endpoint.Name;
            if (endpoint.Name != settings.Network && !(settings.Network == "default" || endpoint.Name == "default")) continue;
            if (endpoint.Value.ValueKind == JsonValueKind.Object && endpoint.Value.TryGetProperty("Aliases", out var aliases))
                foreach (var alias in Strings(aliases) ?? [])
                    if (!settings.NetworkAliases.Contains(alias)) settings.NetworkAliases.Add(alias);
        }
    }

    private static MountSetting Mount(JsonElement mount)
    {
        var fields = new List<KeyValuePair<string, string?>>();
        foreach (var field in mount.EnumerateObject())
        {
            switch (field.Name.ToLowerInvariant())
            {
                case "type": fields.Add(new("type", field.Value.GetString())); break;
                case "source": if (NonEmpty(field.Value) is { } source) fields.Add(new("source", source)); break;
                case "target": fields.Add(new("target", field.Value.GetString())); break;
                case "readonly": if (Bool(field.Value)) fields.Add(new("readonly", null)); break;
                case "volumeoptions":
                    if (field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("NoCopy", out var noCopy) && Bool(noCopy)) fields.Add(new("volume-nocopy", null));
                    break;
                case "tmpfsoptions":
                    if (field.Value.ValueKind == JsonValueKind.Object)
                    {
                        if (field.Value.TryGetProperty("SizeBytes", out var size) && size.ValueKind == JsonValueKind.Number && size.GetInt64() > 0)
                            fields.Add(new("tmpfs-size", size.GetInt64().ToString(CultureInfo.InvariantCulture)));
                        if (field.Value.TryGetProperty("Mode", out var mode) && mode.ValueKind == JsonValueKind.Number && mode.GetInt32() > 0)
                            fields.Add(new("tmpfs-mode", Convert.ToString(mode.GetInt32(), 8)));
                    }
                    break;
                case "consistency" or "bindoptions": break;
                default: RefuseUnlessDefault(field.Value, "HostConfig.Mounts." + field.Name); break;
            }
        }
        return Engine(() => MountParser.FromFields(fields, "/", mount.GetRawText()));
    }

    private static IEnumerable<PortMapping> Ports(JsonElement bindings)
    {
        if (bindings.ValueKind != JsonValueKind.Object) yield break;
        foreach (var binding in bindings.EnumerateObject())
        {
            var slash = binding.Name.IndexOf('/');
            var portText = slash < 0 ? binding.Name : binding.Name[..slash];
            var protocol = slash < 0 ? "tcp" : binding.Name[(slash + 1)..];
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var containerPort) || containerPort is < 1 or > 65535)
                throw ApiException.BadRequest($"invalid port '{binding.Name}' in HostConfig.PortBindings");
            var hosts = binding.Value.ValueKind == JsonValueKind.Array ? binding.Value.EnumerateArray().ToList() : [];
            if (hosts.Count == 0) hosts.Add(JsonSerializer.SerializeToElement(new { }));
            foreach (var host in hosts)
            {
                var hostIp = host.TryGetProperty("HostIp", out var ip) ? ip.GetString() ?? "" : "";
                var hostPortText = host.TryGetProperty("HostPort", out var hp) ? hp.GetString() ?? "" : "";
                var hostPort = 0;
                if (hostPortText.Length > 0 && (!int.TryParse(hostPortText, NumberStyles.None, CultureInfo.InvariantCulture, out hostPort) || hostPort > 65535))
                    throw ApiException.BadRequest($"invalid host port '{hostPortText}' in HostConfig.PortBindings (port ranges are not supported)");
                yield return new PortMapping { HostIp = hostIp, HostPort = hostPort, ContainerPort = containerPort, Protocol = protocol };
            }
        }
    }

    private static T Engine<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (PSContainer.Engine.EngineException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }
    }

    // Values that mean what PSContainer does anyway.
    private static readonly Dictionary<string, string[]> DefaultValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HostConfig.IpcMode"] = ["private", "shareable"],
        ["HostConfig.CgroupnsMode"] = ["private", "host"],
        ["HostConfig.ShmSize"] = ["67108864"],
    };

    private static void RefuseUnlessDefault(JsonElement value, string field)
    {
        if (IsDefault(value)) return;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        if (DefaultValues.TryGetValue(field, out var accepted) && accepted.Contains(text)) return;
        throw Unsupported(field);
    }

    private static bool IsDefault(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => true,
        JsonValueKind.String => value.GetString() == "",
        JsonValueKind.Number => value.GetDouble() == 0,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => value.EnumerateObject().All(p => IsDefault(p.Value)),
        _ => false,
    };

    private static ApiException Unsupported(string field) =>
        ApiException.BadRequest($"{field} is not supported by PSContainer; remove it from the request");

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    private static string? NonEmpty(JsonElement value) => Text(value) is { Length: > 0 } text ? text : null;
    private static bool Bool(JsonElement value) => value.ValueKind == JsonValueKind.True;
    private static long? PositiveLong(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.GetInt64() > 0 ? value.GetInt64() : null;

    // Cmd and Entrypoint come as an array, or as one string (a shell would split it; docker sends arrays).
    private static List<string>? Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().Select(v => v.GetString() ?? "").ToList(),
        JsonValueKind.String => [value.GetString()!],
        _ => null,
    };
}
