using PSContainer.Engine.Containers;

namespace PSContainer.Engine.Compose;

internal sealed partial class ComposeRunner
{
    /// <summary>
    /// Takes the project down (<c>docker compose down</c>): stops and removes its containers in reverse
    /// dependency order, then its networks; with options also its volumes, the images it used, and orphans.
    /// <paramref name="model"/> is null when only the name is known: then every container of the project goes.
    /// </summary>
    public void Down(string projectName, ComposeModel? model, ComposeDownOptions options)
    {
        var containers = ContainersOf(projectName);
        var known = model?.Services.Select(s => s.Name).Concat(model.DisabledServices).ToHashSet(StringComparer.Ordinal);
        var removing = containers.Where(c => known is null || options.RemoveOrphans || known.Contains(ServiceOf(c))).ToList();
        foreach (var orphan in containers.Except(removing))
            _warn($"Found orphan container {orphan.Name} of service '{ServiceOf(orphan)}'; Remove-ComposeProject -RemoveOrphans removes it.");

        var images = removing.Select(c => c.ImageId).Distinct().ToList();
        StopInLevels(removing, model, null);
        foreach (var level in StopLevels(removing, model))
        {
            foreach (var container in level)
            {
                _report($"Removing {container.Name}");
                _containers.Remove(container.Id, force: true, options.Volumes);
            }
        }

        foreach (var network in _networks.List().Where(n => BelongsTo(n.Labels, projectName)))
        {
            if (network.Containers.Count > 0)
            {
                _warn($"Network {network.Name} is still used by {string.Join(", ", network.Containers)}; it stays.");
                continue;
            }
            _report($"Removing network {network.Name}");
            _networks.Remove(network.Name);
        }
        if (options.Volumes)
        {
            var external = model?.Volumes.Where(v => v.External).Select(v => v.Name).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var volume in _volumes.List().Where(v => BelongsTo(v.Labels, projectName) && !external.Contains(v.Name)))
            {
                _report($"Removing volume {volume.Name}");
                try
                {
                    _volumes.Remove(volume.Name, force: false);
                }
                catch (EngineException ex) when (ex.Kind is EngineErrorKind.InvalidState)
                {
                    _warn($"Volume {volume.Name} stays: {ex.Message}");
                }
            }
        }
        if (options.Images)
        {
            foreach (var image in images.Where(i => _containers.List().All(c => c.ImageId != i)))
            {
                _report($"Removing image {image}");
                try
                {
                    _images.Remove(image, force: false);
                }
                catch (EngineException ex) when (ex.Kind is EngineErrorKind.InvalidState or EngineErrorKind.NotFound)
                {
                    _warn($"Image {image} stays: {ex.Message}");
                }
            }
        }
    }

    /// <summary>Stops the project's containers (optionally only some services' ones), dependents first.</summary>
    public void Stop(string projectName, ComposeModel? model, IReadOnlyCollection<string> services, TimeSpan? timeout)
    {
        var containers = ContainersOf(projectName).Where(c => services.Count == 0 || services.Contains(ServiceOf(c))).ToList();
        if (containers.Count == 0)
            throw new EngineException("ComposeProjectNotFound", EngineErrorKind.NotFound, $"No compose project named '{projectName}' has containers" + (services.Count > 0 ? " of those services." : "."), projectName);
        StopInLevels(containers, model, timeout);
    }

    /// <summary>
    /// Stops containers dependents first, as Compose does; the containers of one level stop together, so a
    /// project takes about one grace period per level, not one per container.
    /// </summary>
    private void StopInLevels(List<ContainerRecord> containers, ComposeModel? model, TimeSpan? timeout)
    {
        foreach (var level in StopLevels(containers, model))
        {
            var running = level.Where(c => c.State.Status is ContainerStatus.Running or ContainerStatus.Paused).ToList();
            foreach (var container in running) _report($"Stopping {container.Name}");
            try
            {
                Parallel.ForEach(running, container => _containers.Stop(container.Id, timeout));
            }
            catch (AggregateException ex) when (ex.InnerExceptions.OfType<EngineException>().FirstOrDefault() is { } first)
            {
                throw first;
            }
        }
    }

    /// <summary>Restarts the project's containers (docker compose restart): stopped dependents first, started in dependency order.</summary>
    public void Restart(string projectName, ComposeModel? model, IReadOnlyCollection<string> services, TimeSpan? timeout)
    {
        Stop(projectName, model, services, timeout);
        StartExisting(projectName, model, services);
    }

    /// <summary>Starts the project's existing containers again in dependency order (after a stop, or to restart them).</summary>
    public void StartExisting(string projectName, ComposeModel? model, IReadOnlyCollection<string> services)
    {
        var containers = ContainersOf(projectName).Where(c => services.Count == 0 || services.Contains(ServiceOf(c))).ToList();
        foreach (var container in Enumerable.Reverse(StopLevels(containers, model)).SelectMany(level => level))
        {
            if (container.State.Status is ContainerStatus.Running) continue;
            _report($"Starting {container.Name}");
            try
            {
                if (container.State.Status is ContainerStatus.Paused) _containers.Resume(container.Id);
                else _containers.Start(container.Id);
            }
            catch (EngineException ex)
            {
                throw ComposeErrors.ServiceFailed(ServiceOf(container), ex.Message, ex);
            }
        }
    }

    /// <summary>
    /// The containers in levels, dependents first: a service's level is one more than the deepest of what it
    /// depends on, and the deepest level stops first. Dependencies come from the model when it is known, else
    /// from the depends_on label each container carries.
    /// </summary>
    private static List<List<ContainerRecord>> StopLevels(List<ContainerRecord> containers, ComposeModel? model)
    {
        var services = model?.Services ?? containers.GroupBy(ServiceOf).Select(g => new ComposeService
        {
            Name = g.Key,
            DependsOn = new SortedDictionary<string, ComposeDependency>(
                (g.First().Settings.Labels.GetValueOrDefault(ComposeLabels.DependsOn) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(d => d.Split(':')[0]).Distinct().ToDictionary(d => d, _ => new ComposeDependency()), StringComparer.Ordinal),
        }).ToList();
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var service in ComposeGraph.Order(services))
            depth[service.Name] = ComposeGraph.DependenciesOf(service).Select(d => depth.GetValueOrDefault(d, -1)).DefaultIfEmpty(-1).Max() + 1;
        return containers.GroupBy(c => depth.GetValueOrDefault(ServiceOf(c)))
            .OrderByDescending(g => g.Key)
            .Select(g => g.OrderByDescending(NumberOf).ToList())
            .ToList();
    }
}
