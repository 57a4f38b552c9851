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
        foreach (var container in InStopOrder(removing, model))
        {
            _report($"Removing {container.Name}");
            RemoveContainer(container, options.Volumes);
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
        foreach (var container in InStopOrder(containers, model))
        {
            if (container.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused)) continue;
            _report($"Stopping {container.Name}");
            _containers.Stop(container.Id, timeout);
        }
    }

    /// <summary>Starts the project's existing containers again in dependency order (after a stop, or to restart them).</summary>
    public void StartExisting(string projectName, ComposeModel? model, IReadOnlyCollection<string> services)
    {
        var containers = ContainersOf(projectName).Where(c => services.Count == 0 || services.Contains(ServiceOf(c))).ToList();
        foreach (var container in Enumerable.Reverse(InStopOrder(containers, model)))
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
    /// Dependents before what they depend on: by the model's order when known, else by the depends_on label
    /// each container carries.
    /// </summary>
    private static List<ContainerRecord> InStopOrder(List<ContainerRecord> containers, ComposeModel? model)
    {
        List<string> order;
        if (model is not null)
        {
            order = ComposeGraph.Order(model.Services).Select(s => s.Name).ToList();
        }
        else
        {
            var services = containers.GroupBy(ServiceOf).Select(g => new ComposeService
            {
                Name = g.Key,
                DependsOn = new SortedDictionary<string, ComposeDependency>(
                    (g.First().Settings.Labels.GetValueOrDefault(ComposeLabels.DependsOn) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(d => d.Split(':')[0]).Distinct().ToDictionary(d => d, _ => new ComposeDependency()), StringComparer.Ordinal),
            }).ToList();
            order = ComposeGraph.Order(services).Select(s => s.Name).ToList();
        }
        return containers.OrderByDescending(c => order.IndexOf(ServiceOf(c))).ThenByDescending(NumberOf).ToList();
    }
}
