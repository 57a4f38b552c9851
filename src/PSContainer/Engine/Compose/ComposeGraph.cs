namespace PSContainer.Engine.Compose;

/// <summary>The order services start in: every service after what it depends on (depends_on and network_mode: service:).</summary>
internal static class ComposeGraph
{
    /// <summary>The services in start order, file order kept where dependencies allow; a cycle is an error naming it.</summary>
    public static List<ComposeService> Order(IReadOnlyList<ComposeService> services)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var visiting = new List<string>();
        var ordered = new List<ComposeService>();
        void Visit(ComposeService service)
        {
            if (done.Contains(service.Name)) return;
            if (visiting.Contains(service.Name))
            {
                var cycle = visiting.Skip(visiting.IndexOf(service.Name)).Append(service.Name);
                throw ComposeErrors.InvalidValue($"services.{service.Name}.depends_on", $"dependency cycle: {string.Join(" -> ", cycle)}.");
            }
            visiting.Add(service.Name);
            foreach (var dependency in DependenciesOf(service))
                if (byName.TryGetValue(dependency, out var next)) Visit(next);
            visiting.RemoveAt(visiting.Count - 1);
            done.Add(service.Name);
            ordered.Add(service);
        }
        foreach (var service in services) Visit(service);
        return ordered;
    }

    /// <summary>The services <paramref name="service"/> needs started first.</summary>
    public static IEnumerable<string> DependenciesOf(ComposeService service)
    {
        foreach (var name in service.DependsOn?.Keys ?? Enumerable.Empty<string>()) yield return name;
        if (service.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal)) yield return mode[8..];
    }

    /// <summary><paramref name="names"/> with everything they depend on, transitively.</summary>
    public static HashSet<string> WithDependencies(IReadOnlyList<ComposeService> services, IEnumerable<string> names)
    {
        var byName = services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var result = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(names);
        while (queue.TryDequeue(out var name))
        {
            if (!result.Add(name) || !byName.TryGetValue(name, out var service)) continue;
            foreach (var dependency in DependenciesOf(service)) queue.Enqueue(dependency);
        }
        return result;
    }
}
