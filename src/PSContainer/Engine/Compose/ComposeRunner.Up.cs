using PSContainer.Engine.Build;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Images;
using PSContainer.Engine.Networks;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;

namespace PSContainer.Engine.Compose;

internal sealed partial class ComposeRunner
{
    /// <summary>
    /// Brings the project up (<c>docker compose up -d</c>): networks and volumes, images, then each service in
    /// dependency order, waiting for its dependencies' conditions. A container whose configuration hash and image
    /// are unchanged is kept; a changed one is recreated (its named volumes stay). A failure names the service and
    /// leaves what was started running.
    /// </summary>
    public ComposeProjectInfo Up(ComposeModel project, ComposeUpOptions options, CancellationToken cancel)
    {
        var targets = options.Services.Count > 0
            ? ComposeGraph.WithDependencies(project.Services, options.Services)
            : project.Services.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        CheckSupported(project, targets);
        var ordered = ComposeGraph.Order(project.Services).Where(s => targets.Contains(s.Name)).ToList();

        var existing = ContainersOf(project.Name);
        ReportOrphans(project, existing, options.RemoveOrphans);
        EnsureNetworks(project, ordered);
        EnsureVolumes(project, ordered);
        var images = ordered.ToDictionary(s => s.Name, s => EnsureImage(project, s, options, cancel), StringComparer.Ordinal);

        foreach (var service in ordered)
        {
            cancel.ThrowIfCancellationRequested();
            try
            {
                WaitForDependencies(project, service, cancel);
                var replicas = options.Scale.TryGetValue(service.Name, out var scale) ? scale : service.Replicas;
                Converge(project, service, replicas, images[service.Name], existing.Where(c => ServiceOf(c) == service.Name).ToList(), options);
            }
            catch (EngineException ex) when (ex.ErrorId != "ComposeServiceFailed")
            {
                throw ComposeErrors.ServiceFailed(service.Name, ex.Message, ex);
            }
        }
        if (options.Wait)
            foreach (var service in ordered) WaitRunning(project, service, cancel);
        return Get(project.Name, project);
    }

    /// <summary>Stops before anything changes when a service to start uses what the engine cannot honour.</summary>
    private static void CheckSupported(ComposeModel project, IReadOnlySet<string> targets)
    {
        var relevant = project.UnsupportedKeys.Where(key =>
        {
            if (!key.StartsWith("services.", StringComparison.Ordinal)) return true;
            var rest = key["services.".Length..];
            var service = project.Services.Select(s => s.Name).Where(n => rest.StartsWith(n + ".", StringComparison.Ordinal)).MaxBy(n => n.Length);
            return service is null || targets.Contains(service);
        }).ToList();
        if (relevant.Count > 0) throw ComposeErrors.Unsupported(relevant);
    }

    private void ReportOrphans(ComposeModel project, List<ContainerRecord> existing, bool remove)
    {
        var known = project.Services.Select(s => s.Name).Concat(project.DisabledServices).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in existing.Where(c => !known.Contains(ServiceOf(c))).ToList())
        {
            if (remove)
            {
                _report($"Removing orphan container {orphan.Name}");
                RemoveContainer(orphan, removeVolumes: false);
                existing.Remove(orphan);
            }
            else
            {
                _warn($"Found orphan container {orphan.Name} of service '{ServiceOf(orphan)}', which is not in the project's files. Run Start-ComposeProject -RemoveOrphans or Remove-ComposeProject -RemoveOrphans to remove it.");
            }
        }
    }

    private void EnsureNetworks(ComposeModel project, List<ComposeService> services)
    {
        var used = services.SelectMany(s => s.Networks?.Keys ?? Enumerable.Empty<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var network in project.Networks.Where(n => used.Contains(n.Key) || !n.External))
        {
            var found = FindNetwork(network.Name);
            if (network.External)
            {
                if (found is null)
                    throw new EngineException("ComposeNetworkNotFound", EngineErrorKind.NotFound, $"External network '{network.Name}' (networks.{network.Key}) not found; create it with New-Network.", network.Name);
                continue;
            }
            if (found is not null)
            {
                if (!BelongsTo(found.Labels, project.Name))
                    _warn($"Network '{network.Name}' exists but was not made for project '{project.Name}'; using it as it is.");
                continue;
            }
            var labels = new Dictionary<string, string>(network.Labels ?? new SortedDictionary<string, string>(), StringComparer.Ordinal)
            {
                [ComposeLabels.Project] = project.Name,
                [ComposeLabels.Network] = network.Key,
            };
            _report($"Creating network {network.Name}");
            _networks.Create(new NetworkSpec
            {
                Name = network.Name,
                Internal = network.Internal,
                Subnet = network.Subnets?.FirstOrDefault(),
                Gateway = network.Gateways?.FirstOrDefault(),
                Labels = labels,
            });
        }
    }

    private void EnsureVolumes(ComposeModel project, List<ComposeService> services)
    {
        foreach (var volume in project.Volumes)
        {
            var found = _volumes.Store.Get(volume.Name);
            if (volume.External)
            {
                var used = services.Any(s => s.Volumes?.Any(m => m.Type == "volume" && m.Source == volume.Key) == true);
                if (found is null && used)
                    throw new EngineException("ComposeVolumeNotFound", EngineErrorKind.NotFound, $"External volume '{volume.Name}' (volumes.{volume.Key}) not found; create it with New-Volume.", volume.Name);
                continue;
            }
            if (found is not null)
            {
                if (!BelongsTo(found.Labels, project.Name))
                    _warn($"Volume '{volume.Name}' exists but was not made for project '{project.Name}'; using it as it is.");
                continue;
            }
            var labels = new Dictionary<string, string>(volume.Labels ?? new SortedDictionary<string, string>(), StringComparer.Ordinal)
            {
                [ComposeLabels.Project] = project.Name,
                [ComposeLabels.Volume] = volume.Key,
            };
            _report($"Creating volume {volume.Name}");
            _volumes.Create(volume.Name, labels);
        }
    }

    /// <summary>
    /// The image reference a service runs: built when it has a build section and the image is missing (or -Build,
    /// or pull_policy: build), named as Docker Compose names it (its image:, else &lt;project&gt;-&lt;service&gt;);
    /// otherwise pulled when the pull policy says so.
    /// </summary>
    private string EnsureImage(ComposeModel project, ComposeService service, ComposeUpOptions options, CancellationToken cancel)
    {
        if (service.Build is { } build)
        {
            var tag = service.Image ?? $"{project.Name}-{service.Name}";
            if (options.Build || service.PullPolicy == "build" || TryResolve(tag) is null)
            {
                _report($"Building {tag} for service {service.Name}");
                try
                {
                    _builder.Build(new BuildRequest
                    {
                        ContextDirectory = build.Context,
                        Dockerfile = build.Dockerfile is null ? null : Path.Combine(build.Context, build.Dockerfile),
                        Tags = [tag],
                        BuildArgs = (build.Args ?? new SortedDictionary<string, string?>()).Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal),
                        Target = build.Target,
                        Labels = build.Labels ?? new SortedDictionary<string, string>(),
                        Pull = options.Pull,
                    }, _ => { }, cancel);
                }
                catch (EngineException ex)
                {
                    throw ComposeErrors.ServiceFailed(service.Name, $"cannot build image {tag}: {ex.Message}", ex);
                }
            }
            return tag;
        }
        var image = service.Image ?? throw ComposeErrors.ServiceFailed(service.Name, "has neither an image nor a build section.");
        var policy = options.Pull ? "always" : service.PullPolicy ?? "missing";
        var present = TryResolve(image) is not null;
        if (policy == "never" || policy == "build" || (policy == "missing" && present))
        {
            if (!present)
                throw ComposeErrors.ServiceFailed(service.Name, $"image {image} is not present and pull_policy is {policy}.");
            return image;
        }
        _report($"Pulling {image} for service {service.Name}");
        try
        {
            var reference = ImageReference.Parse(image);
            _puller.PullAsync(reference, new RegistryClientOptions(), null, _ => { }, cancel).GetAwaiter().GetResult();
        }
        catch (EngineException ex) when (present && !options.Pull)
        {
            _warn($"Pulling {image} for service {service.Name} failed ({ex.Message}); using the local image.");
        }
        catch (EngineException ex)
        {
            throw ComposeErrors.ServiceFailed(service.Name, $"cannot pull image {image}: {ex.Message}", ex);
        }
        return image;
    }

    private ImageRecord? TryResolve(string image)
    {
        try
        {
            return _images.Resolve(image);
        }
        catch (EngineException ex) when (ex.ErrorId == "ImageNotFound")
        {
            return null;
        }
    }

    /// <summary>Waits for each dependency's condition: started (running), healthy, or completed successfully.</summary>
    private void WaitForDependencies(ComposeModel project, ComposeService service, CancellationToken cancel)
    {
        foreach (var (name, dependency) in service.DependsOn ?? new SortedDictionary<string, ComposeDependency>())
        {
            var containers = ContainersOf(project.Name).Where(c => ServiceOf(c) == name).ToList();
            if (containers.Count == 0 && project.Service(name)?.Replicas == 0) continue;
            foreach (var container in containers)
            {
                switch (dependency.Condition)
                {
                    case "service_completed_successfully":
                        _report($"Waiting for {container.Name} to complete");
                        var code = _containers.Wait(container.Id, cancel);
                        if (code != 0)
                            throw ComposeErrors.ServiceFailed(service.Name, $"dependency '{name}' did not complete successfully: container {container.Name} exited with code {code}.");
                        break;
                    case "service_healthy":
                        _report($"Waiting for {container.Name} to be healthy");
                        WaitHealthy(service.Name, name, container.Id, cancel);
                        break;
                    default:
                        // service_started asks only that the dependency was started, as in Docker Compose.
                        var current = _containers.Find(container.Id);
                        if (current.State.StartedAt is null)
                            throw ComposeErrors.ServiceFailed(service.Name, $"dependency '{name}' was not started: container {current.Name} is {current.State.Status.ToString().ToLowerInvariant()}.");
                        break;
                }
            }
        }
    }

    /// <summary>Makes the service run <paramref name="replicas"/> containers of its current configuration.</summary>
    private void Converge(ComposeModel project, ComposeService service, int replicas, string image, List<ContainerRecord> existing, ComposeUpOptions options)
    {
        var hash = ConfigHash.Of(service);
        var imageId = _images.Resolve(image).Id;
        foreach (var extra in existing.Where(c => NumberOf(c) > replicas || NumberOf(c) < 1).ToList())
        {
            _report($"Removing {extra.Name} (scaled down)");
            RemoveContainer(extra, removeVolumes: true);
            existing.Remove(extra);
        }
        for (var number = 1; number <= replicas; number++)
        {
            var container = existing.FirstOrDefault(c => NumberOf(c) == number);
            if (container is not null)
            {
                var changed = container.Settings.Labels.GetValueOrDefault(ComposeLabels.ConfigHash) != hash || container.ImageId != imageId;
                if (options.ForceRecreate || (changed && !options.NoRecreate))
                {
                    _report($"Recreating {container.Name}");
                    RemoveContainer(container, removeVolumes: false);
                    container = null;
                }
                else
                {
                    if (container.State.Status is ContainerStatus.Created or ContainerStatus.Exited)
                    {
                        _report($"Starting {container.Name}");
                        _containers.Start(container.Id);
                    }
                    else if (container.State.Status == ContainerStatus.Paused)
                    {
                        _containers.Resume(container.Id);
                    }
                    continue;
                }
            }
            Create(project, service, number, hash, image);
        }
    }

    private void Create(ComposeModel project, ComposeService service, int number, string hash, string image)
    {
        string ContainerOf(string other) =>
            ContainersOf(project.Name).Where(c => ServiceOf(c) == other).OrderBy(NumberOf).FirstOrDefault()?.Name
            ?? throw ComposeErrors.ServiceFailed(service.Name, $"network_mode service:{other} needs a container of '{other}'.");
        var spec = ComposeContainerSpec.For(project, service, number, hash, image, ContainerOf);
        foreach (var bind in spec.Request.Settings.Mounts.Where(m => m.Type == Volumes.MountType.Bind))
            if (service.Volumes?.FirstOrDefault(v => v.Target == bind.Target)?.Bind?.CreateHostPath == true && !Path.Exists(bind.Source))
                Directory.CreateDirectory(bind.Source!);
        _report($"Creating {spec.Request.Name}");
        var record = _containers.Create(spec.Request);
        try
        {
            foreach (var (network, aliases) in spec.MoreNetworks)
                _containers.Connect(record.Id, network, aliases);
        }
        catch
        {
            RemoveContainer(record, removeVolumes: true);
            throw;
        }
        _report($"Starting {record.Name}");
        _containers.Start(record.Id);
    }

    /// <summary>-Wait: every container runs (or completed with 0), and those with a healthcheck are healthy.</summary>
    private void WaitRunning(ComposeModel project, ComposeService service, CancellationToken cancel)
    {
        foreach (var container in ContainersOf(project.Name).Where(c => ServiceOf(c) == service.Name))
        {
            if (container.Settings.Healthcheck is { Enabled: true })
            {
                _report($"Waiting for {container.Name} to be healthy");
                WaitHealthy(service.Name, service.Name, container.Id, cancel);
            }
            else if (container.State.Status is not ContainerStatus.Running && container.State.ExitCode is not 0)
            {
                throw ComposeErrors.ServiceFailed(service.Name, $"container {container.Name} is {container.State.Status.ToString().ToLowerInvariant()}" + (container.State.ExitCode is { } code ? $" (exit code {code})." : "."));
            }
        }
    }

    /// <summary>
    /// Waits until the container's healthcheck reports healthy. Unhealthy, or exited for good, fails at once
    /// as in Docker Compose, naming the service that waited and the one that failed it.
    /// </summary>
    private void WaitHealthy(string waiting, string dependency, string containerId, CancellationToken cancel)
    {
        while (true)
        {
            var record = _containers.Find(containerId);
            if (record.Settings.Healthcheck is not { Enabled: true })
                throw ComposeErrors.ServiceFailed(waiting, $"dependency '{dependency}' must be healthy, but container {record.Name} has no healthcheck.");
            var running = record.State.Status == ContainerStatus.Running;
            if (running && record.Health?.Status == HealthStatus.Healthy) return;
            if (running && record.Health?.Status == HealthStatus.Unhealthy)
                throw ComposeErrors.ServiceFailed(waiting, $"dependency '{dependency}' failed: container {record.Name} is unhealthy.");
            if (record.State.Status is ContainerStatus.Exited or ContainerStatus.Created && record.State.StartedAt is not null)
                throw ComposeErrors.ServiceFailed(waiting, $"dependency '{dependency}' failed: container {record.Name} exited with code {record.State.ExitCode} before it was healthy.");
            if (cancel.WaitHandle.WaitOne(100)) cancel.ThrowIfCancellationRequested();
        }
    }

    private void RemoveContainer(ContainerRecord container, bool removeVolumes)
    {
        if (container.State.Status is ContainerStatus.Running or ContainerStatus.Paused)
            _containers.Stop(container.Id);
        _containers.Remove(container.Id, force: true, removeVolumes);
    }
}
