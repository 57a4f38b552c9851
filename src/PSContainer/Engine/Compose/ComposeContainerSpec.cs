using System.Globalization;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Volumes;

namespace PSContainer.Engine.Compose;

/// <summary>What one container of a service is created with: the engine request, and the networks joined after creation.</summary>
internal sealed record ComposeContainerSpec(CreateContainerRequest Request, IReadOnlyList<(string Network, List<string> Aliases)> MoreNetworks)
{
    /// <summary>
    /// The container <paramref name="number"/> of <paramref name="service"/>: Compose's name and labels, the first
    /// project network at creation (with the service name as alias) and the others joined before it starts.
    /// </summary>
    public static ComposeContainerSpec For(ComposeModel project, ComposeService service, int number, string hash, string image, Func<string, string> containerOfService)
    {
        var labels = new Dictionary<string, string>(service.Labels ?? new SortedDictionary<string, string>(), StringComparer.Ordinal)
        {
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Service] = service.Name,
            [ComposeLabels.ContainerNumber] = number.ToString(CultureInfo.InvariantCulture),
            [ComposeLabels.ConfigHash] = hash,
            [ComposeLabels.WorkingDir] = project.WorkingDirectory,
            [ComposeLabels.ConfigFiles] = string.Join(',', project.ConfigFiles),
            [ComposeLabels.Oneoff] = "False",
            [ComposeLabels.Image] = image,
        };
        if (service.DependsOn is { Count: > 0 } dependsOn)
            labels[ComposeLabels.DependsOn] = string.Join(',', dependsOn.Select(d => $"{d.Key}:{d.Value.Condition}:{(d.Value.Restart == true ? "true" : "false")}"));

        var settings = new ContainerSettings
        {
            Entrypoint = service.Entrypoint,
            Command = service.Command,
            Environment = (service.Environment ?? new SortedDictionary<string, string?>()).Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}").ToList(),
            WorkingDirectory = service.WorkingDir,
            User = service.User,
            Hostname = service.Hostname,
            Labels = labels,
            Memory = service.MemLimit,
            MemorySwap = service.MemswapLimit,
            Cpus = service.Cpus,
            PidsLimit = service.PidsLimit,
            ReadOnly = service.ReadOnly ?? false,
            Tty = service.Tty ?? false,
            Interactive = service.StdinOpen ?? false,
            Ulimits = (service.Ulimits ?? new SortedDictionary<string, ComposeUlimit>())
                .Select(u => new UlimitSetting { Name = u.Key, Soft = (ulong)u.Value.Soft, Hard = (ulong)u.Value.Hard }).ToList(),
            Mounts = Mounts(project, service),
            Security = SecurityOptions.Parse(service.SecurityOpt, service.CapAdd, service.CapDrop, service.Privileged ?? false, project.WorkingDirectory),
            Ports = (service.Ports ?? []).Select(p => new Networks.PortMapping
            {
                HostIp = p.HostIp ?? "",
                HostPort = p.Published ?? 0,
                ContainerPort = p.Target,
                Protocol = p.Protocol,
            }).ToList(),
        };
        if (service.StopSignal is { } signal) settings.StopSignal = signal;
        settings.RestartPolicy = service.Restart is null or "no" ? null : service.Restart;
        settings.Init = service.Init ?? false;
        settings.Healthcheck = Health(service.Healthcheck, $"services.{service.Name}.healthcheck");
        if (service.StopGracePeriod is { } grace)
            settings.StopTimeout = (int)Math.Ceiling(ComposeValues.ParseDuration(grace, $"services.{service.Name}.stop_grace_period").TotalSeconds);

        var more = new List<(string, List<string>)>();
        if (service.NetworkMode is { } mode)
        {
            settings.Network = mode.StartsWith("service:", StringComparison.Ordinal) ? "container:" + containerOfService(mode[8..]) : mode;
        }
        else
        {
            var first = true;
            // Ports are published through the first network: one with a route out comes first.
            var networks = (service.Networks ?? new SortedDictionary<string, ComposeServiceNetwork?>())
                .OrderBy(n => project.Networks.First(p => p.Key == n.Key).Internal);
            foreach (var (key, options) in networks)
            {
                var network = project.Networks.First(n => n.Key == key).Name;
                var aliases = new List<string> { service.Name };
                aliases.AddRange((options?.Aliases ?? []).Where(a => a != service.Name));
                if (first)
                {
                    settings.Network = network;
                    settings.NetworkAliases = aliases;
                    first = false;
                }
                else
                {
                    more.Add((network, aliases));
                }
            }
        }
        var request = new CreateContainerRequest { Image = image, Name = ComposeNames.Container(project.Name, service, number), Settings = settings };
        return new ComposeContainerSpec(request, more);
    }

    /// <summary>The engine's healthcheck: disable is Docker's ["NONE"]; timings without a test apply to the image's test.</summary>
    private static HealthConfig? Health(ComposeHealthcheck? health, string path)
    {
        if (health is null) return null;
        if (health.Disable == true) return new HealthConfig { Test = ["NONE"] };
        TimeSpan? Duration(string? text, string key) => text is null ? null : ComposeValues.ParseDuration(text, $"{path}.{key}");
        return new HealthConfig
        {
            Test = health.Test ?? [],
            Interval = Duration(health.Interval, "interval"),
            Timeout = Duration(health.Timeout, "timeout"),
            StartPeriod = Duration(health.StartPeriod, "start_period"),
            StartInterval = Duration(health.StartInterval, "start_interval"),
            Retries = health.Retries,
        };
    }

    private static List<MountSetting> Mounts(ComposeModel project, ComposeService service)
    {
        var mounts = new List<MountSetting>();
        foreach (var mount in service.Volumes ?? [])
        {
            var setting = new MountSetting { Target = mount.Target, ReadOnly = mount.ReadOnly ?? false };
            switch (mount.Type)
            {
                case "bind":
                    setting.Type = MountType.Bind;
                    setting.Source = mount.Source;
                    break;
                case "tmpfs":
                    setting.Type = MountType.Tmpfs;
                    setting.TmpfsSize = mount.Tmpfs?.Size;
                    break;
                default:
                    setting.Type = MountType.Volume;
                    setting.NoCopy = mount.Volume?.Nocopy ?? false;
                    if (mount.Source is { } key) setting.Source = project.Volumes.First(v => v.Key == key).Name;
                    else setting.Anonymous = true;
                    break;
            }
            mounts.Add(setting);
        }
        foreach (var entry in service.Tmpfs ?? [])
        {
            var colon = entry.IndexOf(':');
            var setting = new MountSetting { Type = MountType.Tmpfs, Target = colon < 0 ? entry : entry[..colon] };
            foreach (var option in colon < 0 ? [] : entry[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (option.StartsWith("size=", StringComparison.Ordinal))
                    setting.TmpfsSize = MountParser.ParseSize(option[5..], entry);
                else if (option.StartsWith("mode=", StringComparison.Ordinal))
                    setting.TmpfsMode = Convert.ToUInt32(option[5..], 8);
                else if (option is "ro")
                    setting.ReadOnly = true;
            }
            mounts.Add(setting);
        }
        return mounts;
    }
}
