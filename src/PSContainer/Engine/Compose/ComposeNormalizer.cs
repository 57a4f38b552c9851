using static PSContainer.Engine.Compose.ComposeValues;

namespace PSContainer.Engine.Compose;

/// <summary>
/// Turns the merged, interpolated tree into the typed <see cref="ComposeModel"/>: checks every key against the
/// specification, resolves paths against the project directory, reads env_file, applies profiles, adds the
/// implicit default network, names networks and volumes for the project, and checks references.
/// </summary>
internal sealed class ComposeNormalizer
{
    private readonly string _workingDirectory;
    private readonly Func<string, string?> _lookup;
    private readonly List<string> _unknown = new();
    private readonly List<string> _unsupported = new();

    private ComposeNormalizer(string workingDirectory, Func<string, string?> lookup)
    {
        _workingDirectory = workingDirectory;
        _lookup = lookup;
    }

    public static ComposeModel Normalize(YamlMap tree, ComposeModel project, Func<string, string?> lookup, IReadOnlyCollection<string> profiles, IReadOnlyCollection<string> selected)
    {
        var normalizer = new ComposeNormalizer(project.WorkingDirectory, lookup);
        normalizer.Fill(tree, project, profiles, selected);
        return project;
    }

    private void Fill(YamlMap tree, ComposeModel project, IReadOnlyCollection<string> profiles, IReadOnlyCollection<string> selected)
    {
        Known(tree, ComposeKeys.TopLevel, "", _unknown);
        if (tree.ContainsKey("version")) project.Warnings.Add("The top-level 'version' key is obsolete and ignored.");
        foreach (var key in new[] { "secrets", "configs", "include", "models" })
            if (tree.GetValueOrDefault(key) is not null) _unsupported.Add(key);

        var services = Map(tree.GetValueOrDefault("services"), "services") ?? new YamlMap();
        var all = new List<ComposeService>();
        foreach (var (name, value) in services)
        {
            ComposeNames.ValidateService(name);
            all.Add(Service(name, Map(value, $"services.{name}") ?? new YamlMap()));
        }
        foreach (var service in all)
        {
            var active = service.Profiles is not { Count: > 0 } || service.Profiles.Any(profiles.Contains) || profiles.Contains("*") || selected.Contains(service.Name);
            if (active) project.Services.Add(service);
            else project.DisabledServices.Add(service.Name);
        }
        CheckDependencies(project, all);

        var networks = Map(tree.GetValueOrDefault("networks"), "networks") ?? new YamlMap();
        foreach (var (key, value) in networks)
            project.Networks.Add(Network(project.Name, key, Map(value, $"networks.{key}")));
        var usesDefault = project.Services.Any(s => s.Networks?.ContainsKey("default") == true);
        if (usesDefault && project.Networks.All(n => n.Key != "default"))
            project.Networks.Insert(0, new ComposeNetwork { Key = "default", Name = project.Name + "_default" });

        var volumes = Map(tree.GetValueOrDefault("volumes"), "volumes") ?? new YamlMap();
        foreach (var (key, value) in volumes)
            project.Volumes.Add(Volume(project.Name, key, Map(value, $"volumes.{key}")));
        CheckReferences(project);

        if (_unknown.Count > 0) throw ComposeErrors.UnknownKeys(_unknown);
        project.UnsupportedKeys.AddRange(_unsupported.Distinct());
    }

    private ComposeService Service(string name, YamlMap map)
    {
        var path = $"services.{name}";
        Known(map, ComposeKeys.Service, path, _unknown);
        foreach (var (key, value) in map)
            if (ComposeKeys.UnsupportedServiceKeys.Contains(key) && !IsDefault(key, value))
                _unsupported.Add($"{path}.{key}");

        var service = new ComposeService
        {
            Name = name,
            Image = Text(map.GetValueOrDefault("image"), path + ".image"),
            Build = Build(map.GetValueOrDefault("build"), path + ".build"),
            PullPolicy = PullPolicy(map.GetValueOrDefault("pull_policy"), path + ".pull_policy"),
            Command = Command(map.GetValueOrDefault("command"), path + ".command"),
            Entrypoint = Command(map.GetValueOrDefault("entrypoint"), path + ".entrypoint"),
            Environment = Environment(map, path),
            Ports = Ports(map.GetValueOrDefault("ports"), path + ".ports"),
            Expose = Strings(map.GetValueOrDefault("expose"), path + ".expose"),
            Volumes = Mounts(map.GetValueOrDefault("volumes"), path + ".volumes"),
            Tmpfs = Strings(map.GetValueOrDefault("tmpfs"), path + ".tmpfs"),
            Networks = ServiceNetworks(map.GetValueOrDefault("networks"), path + ".networks"),
            NetworkMode = Text(map.GetValueOrDefault("network_mode"), path + ".network_mode"),
            DependsOn = Dependencies(map.GetValueOrDefault("depends_on"), path + ".depends_on"),
            Healthcheck = Healthcheck(map.GetValueOrDefault("healthcheck"), path + ".healthcheck"),
            Restart = Text(map.GetValueOrDefault("restart"), path + ".restart"),
            Labels = Labels(map.GetValueOrDefault("labels"), path + ".labels"),
            User = Text(map.GetValueOrDefault("user"), path + ".user"),
            WorkingDir = Text(map.GetValueOrDefault("working_dir"), path + ".working_dir"),
            Hostname = Text(map.GetValueOrDefault("hostname"), path + ".hostname"),
            ContainerName = Text(map.GetValueOrDefault("container_name"), path + ".container_name"),
            Init = Bool(map.GetValueOrDefault("init"), path + ".init"),
            StopSignal = Text(map.GetValueOrDefault("stop_signal"), path + ".stop_signal"),
            StopGracePeriod = Duration(map.GetValueOrDefault("stop_grace_period"), path + ".stop_grace_period"),
            Tty = Bool(map.GetValueOrDefault("tty"), path + ".tty"),
            StdinOpen = Bool(map.GetValueOrDefault("stdin_open"), path + ".stdin_open"),
            CapAdd = Strings(map.GetValueOrDefault("cap_add"), path + ".cap_add"),
            CapDrop = Strings(map.GetValueOrDefault("cap_drop"), path + ".cap_drop"),
            Privileged = Bool(map.GetValueOrDefault("privileged"), path + ".privileged"),
            SecurityOpt = Strings(map.GetValueOrDefault("security_opt"), path + ".security_opt"),
            Ulimits = Ulimits(map.GetValueOrDefault("ulimits"), path + ".ulimits"),
            MemLimit = Size(map.GetValueOrDefault("mem_limit"), path + ".mem_limit"),
            MemswapLimit = Swap(map.GetValueOrDefault("memswap_limit"), path + ".memswap_limit"),
            Cpus = Double(map.GetValueOrDefault("cpus"), path + ".cpus"),
            PidsLimit = Long(map.GetValueOrDefault("pids_limit"), path + ".pids_limit"),
            Scale = Int(map.GetValueOrDefault("scale"), path + ".scale"),
            Profiles = Strings(map.GetValueOrDefault("profiles"), path + ".profiles"),
            ExtraHosts = TextMap(map.GetValueOrDefault("extra_hosts"), path + ".extra_hosts", keepNull: false)?.Select(p => $"{p.Key}={p.Value}").ToList(),
            Dns = Strings(map.GetValueOrDefault("dns"), path + ".dns"),
            Sysctls = Labels(map.GetValueOrDefault("sysctls"), path + ".sysctls"),
            ReadOnly = Bool(map.GetValueOrDefault("read_only"), path + ".read_only"),
            ShmSize = Size(map.GetValueOrDefault("shm_size"), path + ".shm_size"),
        };
        Deploy(service, Map(map.GetValueOrDefault("deploy"), path + ".deploy"), path + ".deploy");
        if (service.Image is null && service.Build is null)
            throw ComposeErrors.InvalidValue(path, "has neither an image nor a build context.");
        if (service.NetworkMode is not null && service.Networks is not null)
            throw ComposeErrors.InvalidValue(path, "network_mode and networks cannot be used together.");
        if (service.NetworkMode is null) service.Networks ??= new(StringComparer.Ordinal) { ["default"] = null };
        if (service.Scale is < 0) throw ComposeErrors.InvalidValue(path + ".scale", "must not be negative.");
        if (service.ContainerName is not null && service.Replicas > 1)
            throw ComposeErrors.InvalidValue(path, $"container_name '{service.ContainerName}' is one name; the service cannot run {service.Replicas} containers.");
        return service;
    }

    /// <summary>Whether an unsupported key's value is the default, which changes nothing.</summary>
    private static bool IsDefault(string key, object? value) => value switch
    {
        null => true,
        string s => key switch
        {
            "restart" => s is "no",
            "init" or "privileged" or "oom_kill_disable" => s.Equals("false", StringComparison.OrdinalIgnoreCase),
            _ => false,
        },
        List<object?> list => list.Count == 0,
        YamlMap map => map.Count == 0 || (key == "healthcheck" && map.Count == 1 && map.GetValueOrDefault("disable") is "true"),
        _ => false,
    };

    private ComposeBuild? Build(object? value, string path)
    {
        var map = Map(value, path);
        if (map is null) return null;
        Known(map, ComposeKeys.Build, path, _unknown);
        foreach (var key in map.Keys.Where(k => k is not ("context" or "dockerfile" or "args" or "target" or "labels")))
            _unsupported.Add($"{path}.{key}");
        var context = Text(map.GetValueOrDefault("context"), path + ".context") ?? ".";
        return new ComposeBuild
        {
            Context = Resolve(context),
            Dockerfile = Text(map.GetValueOrDefault("dockerfile"), path + ".dockerfile"),
            Args = TextMap(map.GetValueOrDefault("args"), path + ".args", keepNull: true) is { } args ? FromEnvironment(args) : null,
            Target = Text(map.GetValueOrDefault("target"), path + ".target"),
            Labels = Labels(map.GetValueOrDefault("labels"), path + ".labels"),
        };
    }

    private static string? PullPolicy(object? value, string path) => Text(value, path) switch
    {
        null => null,
        "always" or "never" or "missing" or "build" => (string)value!,
        "if_not_present" => "missing",
        var other => throw ComposeErrors.InvalidValue(path, $"'{other}' is not always, missing, never or build."),
    };

    /// <summary>env_file's variables, then environment's over them; a value-less name comes from the project environment.</summary>
    private SortedDictionary<string, string?>? Environment(YamlMap map, string path)
    {
        SortedDictionary<string, string?>? result = null;
        if (map.GetValueOrDefault("env_file") is { } envFiles)
        {
            result = new(StringComparer.Ordinal);
            var list = envFiles is List<object?> items ? items : [envFiles];
            for (var i = 0; i < list.Count; i++)
            {
                var entryPath = $"{path}.env_file[{i}]";
                var (file, required) = list[i] switch
                {
                    string s => (s, true),
                    YamlMap m => (Text(m.GetValueOrDefault("path"), entryPath + ".path") ?? throw ComposeErrors.InvalidValue(entryPath, "needs a path."),
                        Bool(m.GetValueOrDefault("required"), entryPath + ".required") ?? true),
                    _ => throw ComposeErrors.InvalidValue(entryPath, "must be a path or a mapping with path and required."),
                };
                var full = Resolve(file);
                if (!File.Exists(full))
                {
                    if (required) throw new EngineException("ComposeEnvFileMissing", EngineErrorKind.NotFound, $"{entryPath}: env file {full} not found.", full);
                    continue;
                }
                foreach (var (key, v) in DotEnvFile.Read(full, _lookup)) result[key] = v as string;
            }
        }
        if (TextMap(map.GetValueOrDefault("environment"), path + ".environment", keepNull: true) is { } environment)
        {
            result ??= new(StringComparer.Ordinal);
            foreach (var (key, v) in FromEnvironment(environment)) result[key] = v;
        }
        return result;
    }

    /// <summary>A name without a value takes the project environment's value, or stays unset.</summary>
    private SortedDictionary<string, string?> FromEnvironment(SortedDictionary<string, string?> map)
    {
        foreach (var key in map.Keys.ToList())
            map[key] ??= _lookup(key);
        return map;
    }

    private static SortedDictionary<string, string>? Labels(object? value, string path) =>
        TextMap(value, path, keepNull: false) is { } map ? new SortedDictionary<string, string>(map!, StringComparer.Ordinal) : null;

    private List<ComposePort>? Ports(object? value, string path)
    {
        if (value is null) return null;
        if (value is not List<object?> list) throw ComposeErrors.InvalidValue(path, "must be a list.");
        var ports = new List<ComposePort>();
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var map = Map(list[i], itemPath)!;
            Known(map, ComposeKeys.Port, itemPath, _unknown);
            var target = Int(map.GetValueOrDefault("target"), itemPath + ".target") ?? throw ComposeErrors.InvalidValue(itemPath, "needs a target port.");
            var protocol = Text(map.GetValueOrDefault("protocol"), itemPath + ".protocol")?.ToLowerInvariant() ?? "tcp";
            if (protocol is not ("tcp" or "udp")) throw ComposeErrors.InvalidValue(itemPath + ".protocol", $"'{protocol}' is not tcp or udp.");
            if (Text(map.GetValueOrDefault("mode"), itemPath + ".mode") is { } mode && mode != "host" && mode != "ingress")
                throw ComposeErrors.InvalidValue(itemPath + ".mode", $"'{mode}' is not host or ingress.");
            var hostIp = Text(map.GetValueOrDefault("host_ip"), itemPath + ".host_ip");
            var published = Text(map.GetValueOrDefault("published"), itemPath + ".published");
            if (published is not null && published.Contains('-'))
            {
                // A long-syntax range publishes each port of the range for consecutive targets.
                foreach (var expanded in Networks.PortMapping.Parse($"{published}:{target}-{target + RangeLength(published, itemPath) - 1}/{protocol}"))
                    ports.Add(new ComposePort { Target = expanded.ContainerPort, Published = expanded.HostPort, HostIp = hostIp, Protocol = protocol });
                continue;
            }
            var port = published is null ? (int?)null : Int(published, itemPath + ".published");
            ports.Add(new ComposePort { Target = target, Published = port is 0 ? null : port, HostIp = hostIp, Protocol = protocol });
        }
        return ports;
    }

    private static int RangeLength(string range, string path)
    {
        var parts = range.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b) && b >= a ? b - a + 1
            : throw ComposeErrors.InvalidValue(path + ".published", $"'{range}' is not a port range.");
    }

    private List<ComposeMount>? Mounts(object? value, string path)
    {
        if (value is null) return null;
        if (value is not List<object?> list) throw ComposeErrors.InvalidValue(path, "must be a list.");
        var mounts = new List<ComposeMount>();
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var map = Map(list[i], itemPath)!;
            Known(map, ComposeKeys.Mount, itemPath, _unknown);
            var type = Text(map.GetValueOrDefault("type"), itemPath + ".type") ?? "volume";
            var target = Text(map.GetValueOrDefault("target"), itemPath + ".target") ?? throw ComposeErrors.InvalidValue(itemPath, "needs a target.");
            if (!target.StartsWith('/')) throw ComposeErrors.InvalidValue(itemPath + ".target", $"'{target}' is not an absolute path.");
            var source = Text(map.GetValueOrDefault("source"), itemPath + ".source");
            var mount = new ComposeMount { Type = type, Target = target, ReadOnly = Bool(map.GetValueOrDefault("read_only"), itemPath + ".read_only") };
            switch (type)
            {
                case "volume":
                    mount.Source = source is { Length: > 0 } ? source : null;
                    var volume = Map(map.GetValueOrDefault("volume"), itemPath + ".volume");
                    if (Bool(volume?.GetValueOrDefault("nocopy"), itemPath + ".volume.nocopy") is { } nocopy) mount.Volume = new ComposeVolumeOptions { Nocopy = nocopy };
                    foreach (var key in volume?.Keys.Where(k => k != "nocopy") ?? [])
                        _unsupported.Add($"{itemPath}.volume.{key}");
                    break;
                case "bind":
                    mount.Source = Resolve(source ?? throw ComposeErrors.InvalidValue(itemPath, "a bind mount needs a source."));
                    var bind = Map(map.GetValueOrDefault("bind"), itemPath + ".bind");
                    if (Bool(bind?.GetValueOrDefault("create_host_path"), itemPath + ".bind.create_host_path") is { } create) mount.Bind = new ComposeBindOptions { CreateHostPath = create };
                    foreach (var key in bind?.Keys.Where(k => k is not ("create_host_path" or "selinux")) ?? [])
                        _unsupported.Add($"{itemPath}.bind.{key}");
                    break;
                case "tmpfs":
                    var tmpfs = Map(map.GetValueOrDefault("tmpfs"), itemPath + ".tmpfs");
                    if (Size(tmpfs?.GetValueOrDefault("size"), itemPath + ".tmpfs.size") is { } size) mount.Tmpfs = new ComposeTmpfsOptions { Size = size };
                    foreach (var key in tmpfs?.Keys.Where(k => k != "size") ?? [])
                        _unsupported.Add($"{itemPath}.tmpfs.{key}");
                    break;
                default:
                    _unsupported.Add($"{itemPath}.type ({type})");
                    mount.Source = source;
                    break;
            }
            mounts.Add(mount);
        }
        return mounts;
    }

    private SortedDictionary<string, ComposeServiceNetwork?>? ServiceNetworks(object? value, string path)
    {
        var map = Map(value, path);
        if (map is null) return null;
        var result = new SortedDictionary<string, ComposeServiceNetwork?>(StringComparer.Ordinal);
        foreach (var (name, item) in map)
        {
            var itemPath = $"{path}.{name}";
            var settings = Map(item, itemPath);
            Known(settings, ComposeKeys.ServiceNetwork, itemPath, _unknown);
            foreach (var key in settings?.Keys.Where(k => k is not ("aliases" or "ipv4_address")) ?? [])
                _unsupported.Add($"{itemPath}.{key}");
            if (settings?.ContainsKey("ipv4_address") == true) _unsupported.Add($"{itemPath}.ipv4_address");
            result[name] = settings is null ? null : new ComposeServiceNetwork
            {
                Aliases = Strings(settings.GetValueOrDefault("aliases"), itemPath + ".aliases"),
                Ipv4Address = Text(settings.GetValueOrDefault("ipv4_address"), itemPath + ".ipv4_address"),
            };
        }
        return result;
    }

    private SortedDictionary<string, ComposeDependency>? Dependencies(object? value, string path)
    {
        var map = Map(value, path);
        if (map is null) return null;
        var result = new SortedDictionary<string, ComposeDependency>(StringComparer.Ordinal);
        foreach (var (name, item) in map)
        {
            var itemPath = $"{path}.{name}";
            var settings = Map(item, itemPath);
            Known(settings, ComposeKeys.DependsOn, itemPath, _unknown);
            var condition = Text(settings?.GetValueOrDefault("condition"), itemPath + ".condition") ?? "service_started";
            if (condition is not ("service_started" or "service_healthy" or "service_completed_successfully"))
                throw ComposeErrors.InvalidValue(itemPath + ".condition", $"'{condition}' is not service_started, service_healthy or service_completed_successfully.");
            result[name] = new ComposeDependency
            {
                Condition = condition,
                Restart = Bool(settings?.GetValueOrDefault("restart"), itemPath + ".restart"),
                Required = Bool(settings?.GetValueOrDefault("required"), itemPath + ".required") ?? true,
            };
        }
        return result;
    }

    private ComposeHealthcheck? Healthcheck(object? value, string path)
    {
        var map = Map(value, path);
        if (map is null) return null;
        Known(map, ComposeKeys.Healthcheck, path, _unknown);
        var test = map.GetValueOrDefault("test") switch
        {
            null => null,
            string line => ["CMD-SHELL", line],
            var list => Strings(list, path + ".test"),
        };
        if (test is { Count: > 0 } && test[0] is not ("CMD" or "CMD-SHELL" or "NONE"))
            throw ComposeErrors.InvalidValue(path + ".test", $"a test list starts with CMD, CMD-SHELL or NONE, not '{test[0]}'.");
        return new ComposeHealthcheck
        {
            Test = test,
            Interval = Duration(map.GetValueOrDefault("interval"), path + ".interval"),
            Timeout = Duration(map.GetValueOrDefault("timeout"), path + ".timeout"),
            Retries = Int(map.GetValueOrDefault("retries"), path + ".retries"),
            StartPeriod = Duration(map.GetValueOrDefault("start_period"), path + ".start_period"),
            StartInterval = Duration(map.GetValueOrDefault("start_interval"), path + ".start_interval"),
            Disable = Bool(map.GetValueOrDefault("disable"), path + ".disable"),
        };
    }

    private static SortedDictionary<string, ComposeUlimit>? Ulimits(object? value, string path)
    {
        var map = Map(value, path);
        if (map is null) return null;
        var result = new SortedDictionary<string, ComposeUlimit>(StringComparer.Ordinal);
        foreach (var (name, item) in map)
        {
            var itemPath = $"{path}.{name}";
            if (item is YamlMap limits)
            {
                var soft = Long(limits.GetValueOrDefault("soft"), itemPath + ".soft") ?? throw ComposeErrors.InvalidValue(itemPath, "needs soft and hard.");
                var hard = Long(limits.GetValueOrDefault("hard"), itemPath + ".hard") ?? throw ComposeErrors.InvalidValue(itemPath, "needs soft and hard.");
                result[name] = new ComposeUlimit { Soft = soft, Hard = hard };
            }
            else
            {
                var both = Long(item, itemPath) ?? throw ComposeErrors.InvalidValue(itemPath, "needs a limit.");
                result[name] = new ComposeUlimit { Soft = both, Hard = both };
            }
        }
        return result;
    }

    /// <summary>memswap_limit: a size, or -1 for unlimited swap.</summary>
    private static long? Swap(object? value, string path) => Text(value, path) is "-1" ? -1 : Size(value, path);

    private void Deploy(ComposeService service, YamlMap? deploy, string path)
    {
        if (deploy is null) return;
        Known(deploy, ComposeKeys.Deploy, path, _unknown);
        if (Int(deploy.GetValueOrDefault("replicas"), path + ".replicas") is { } replicas)
        {
            if (service.Scale is { } scale && scale != replicas)
                throw ComposeErrors.InvalidValue(path + ".replicas", $"scale ({scale}) and deploy.replicas ({replicas}) disagree.");
            service.Scale = replicas;
        }
        if (Text(deploy.GetValueOrDefault("mode"), path + ".mode") is { } mode && mode != "replicated")
            _unsupported.Add($"{path}.mode ({mode})");
        if (Map(deploy.GetValueOrDefault("restart_policy"), path + ".restart_policy") is { } policy)
        {
            var condition = Text(policy.GetValueOrDefault("condition"), path + ".restart_policy.condition") ?? "any";
            var attempts = Int(policy.GetValueOrDefault("max_attempts"), path + ".restart_policy.max_attempts");
            // Docker Compose maps the swarm policy onto the engine's: none, on-failure[:max_attempts], any.
            service.Restart ??= condition switch
            {
                "none" => "no",
                "on-failure" => attempts is > 0 ? $"on-failure:{attempts}" : "on-failure",
                "any" => "always",
                _ => throw ComposeErrors.InvalidValue(path + ".restart_policy.condition", $"'{condition}' is not none, on-failure or any."),
            };
            foreach (var key in policy.Keys.Where(k => k is "delay" or "window"))
                _unsupported.Add($"{path}.restart_policy.{key}");
        }
        var resources = Map(deploy.GetValueOrDefault("resources"), path + ".resources");
        Known(resources, ComposeKeys.Resources, path + ".resources", _unknown);
        if (resources?.GetValueOrDefault("reservations") is not null) _unsupported.Add(path + ".resources.reservations");
        var limits = Map(resources?.GetValueOrDefault("limits"), path + ".resources.limits");
        if (limits is null) return;
        var limitsPath = path + ".resources.limits";
        Known(limits, ComposeKeys.Limits, limitsPath, _unknown);
        // Docker Compose prefers deploy's limits over the service-level keys.
        service.Cpus = Double(limits.GetValueOrDefault("cpus"), limitsPath + ".cpus") ?? service.Cpus;
        service.MemLimit = Size(limits.GetValueOrDefault("memory"), limitsPath + ".memory") ?? service.MemLimit;
        service.PidsLimit = Long(limits.GetValueOrDefault("pids"), limitsPath + ".pids") ?? service.PidsLimit;
    }

    private ComposeNetwork Network(string project, string key, YamlMap? map)
    {
        var path = $"networks.{key}";
        Known(map, ComposeKeys.Network, path, _unknown);
        var (external, externalName) = External(map?.GetValueOrDefault("external"), path + ".external");
        var name = Text(map?.GetValueOrDefault("name"), path + ".name") ?? externalName;
        var network = new ComposeNetwork
        {
            Key = key,
            External = external,
            Name = name ?? (external ? key : $"{project}_{key}"),
            Internal = Bool(map?.GetValueOrDefault("internal"), path + ".internal") ?? false,
            Driver = Text(map?.GetValueOrDefault("driver"), path + ".driver"),
            Labels = Labels(ListOrMap(map?.GetValueOrDefault("labels")), path + ".labels"),
        };
        if (network.Driver is not (null or "bridge")) _unsupported.Add($"{path}.driver ({network.Driver})");
        foreach (var unsupported in new[] { "driver_opts", "enable_ipv6" })
            if (map?.GetValueOrDefault(unsupported) is { } v && v is not "false") _unsupported.Add($"{path}.{unsupported}");
        if (Map(map?.GetValueOrDefault("ipam"), path + ".ipam") is { } ipam)
        {
            if (ipam.GetValueOrDefault("config") is List<object?> configs)
            {
                for (var i = 0; i < configs.Count; i++)
                {
                    var config = Map(configs[i], $"{path}.ipam.config[{i}]");
                    if (Text(config?.GetValueOrDefault("subnet"), $"{path}.ipam.config[{i}].subnet") is { } subnet) (network.Subnets ??= []).Add(subnet);
                    if (Text(config?.GetValueOrDefault("gateway"), $"{path}.ipam.config[{i}].gateway") is { } gateway) (network.Gateways ??= []).Add(gateway);
                    foreach (var k in config?.Keys.Where(k => k is not ("subnet" or "gateway")) ?? [])
                        _unsupported.Add($"{path}.ipam.config[{i}].{k}");
                }
            }
            if (network.Subnets?.Count > 1) _unsupported.Add($"{path}.ipam.config (more than one subnet)");
            if (Text(ipam.GetValueOrDefault("driver"), path + ".ipam.driver") is { } driver && driver != "default")
                _unsupported.Add($"{path}.ipam.driver ({driver})");
        }
        return network;
    }

    private ComposeVolume Volume(string project, string key, YamlMap? map)
    {
        var path = $"volumes.{key}";
        Known(map, ComposeKeys.Volume, path, _unknown);
        var (external, externalName) = External(map?.GetValueOrDefault("external"), path + ".external");
        var name = Text(map?.GetValueOrDefault("name"), path + ".name") ?? externalName;
        var volume = new ComposeVolume
        {
            Key = key,
            External = external,
            Name = name ?? (external ? key : $"{project}_{key}"),
            Driver = Text(map?.GetValueOrDefault("driver"), path + ".driver"),
            Labels = Labels(ListOrMap(map?.GetValueOrDefault("labels")), path + ".labels"),
        };
        if (volume.Driver is not (null or "local")) _unsupported.Add($"{path}.driver ({volume.Driver})");
        if (map?.GetValueOrDefault("driver_opts") is YamlMap { Count: > 0 }) _unsupported.Add(path + ".driver_opts");
        return volume;
    }

    /// <summary>external: true, or the legacy external: {name: x}.</summary>
    private static (bool External, string? Name) External(object? value, string path) => value switch
    {
        YamlMap map => (true, Text(map.GetValueOrDefault("name"), path + ".name")),
        _ => (Bool(value, path) ?? false, null),
    };

    private static object? ListOrMap(object? value) => value is List<object?> list
        ? new YamlMap(list.OfType<string>().Select(e => e.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], (object?)(p.Length > 1 ? p[1] : ""))))
        : value;

    private static void CheckDependencies(ComposeModel project, List<ComposeService> all)
    {
        foreach (var service in project.Services)
        {
            if (service.DependsOn is null) continue;
            foreach (var (name, dependency) in service.DependsOn.ToList())
            {
                if (project.Service(name) is not null) continue;
                if (!dependency.Required)
                {
                    service.DependsOn.Remove(name);
                    continue;
                }
                var reason = all.Any(s => s.Name == name) ? "which is disabled by its profiles" : "which is not defined";
                throw ComposeErrors.InvalidValue($"services.{service.Name}.depends_on", $"service '{service.Name}' depends on '{name}', {reason}.");
            }
        }
        ComposeGraph.Order(project.Services);
    }

    private static void CheckReferences(ComposeModel project)
    {
        foreach (var service in project.Services)
        {
            foreach (var network in service.Networks?.Keys ?? Enumerable.Empty<string>())
                if (project.Networks.All(n => n.Key != network))
                    throw ComposeErrors.InvalidValue($"services.{service.Name}.networks", $"service '{service.Name}' refers to undefined network {network}.");
            foreach (var mount in service.Volumes ?? [])
                if (mount.Type == "volume" && mount.Source is { } source && project.Volumes.All(v => v.Key != source))
                    throw ComposeErrors.InvalidValue($"services.{service.Name}.volumes", $"service '{service.Name}' refers to undefined volume {source}.");
            if (service.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal) && project.Service(mode[8..]) is null)
                throw ComposeErrors.InvalidValue($"services.{service.Name}.network_mode", $"service '{service.Name}' shares the network of undefined service {mode[8..]}.");
        }
    }

    /// <summary>An absolute path: relative ones start at the project directory, ~ at the home directory.</summary>
    private string Resolve(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) + path[1..];
        return Path.GetFullPath(path, _workingDirectory);
    }
}
