using PSContainer.Engine.Containers;

namespace PSContainer.Engine.Compose;

/// <summary>A compose project as it runs (<c>docker compose ls</c> and <c>ps</c> in one object).</summary>
public sealed class ComposeProjectInfo
{
    /// <summary>The project name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The project directory the containers were made from.</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>The compose files the containers were made from.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    /// <summary>The services, each with its containers.</summary>
    public IReadOnlyList<ComposeServiceInfo> Services { get; init; } = [];

    /// <summary>Every container of the project.</summary>
    public IReadOnlyList<ContainerInfo> Containers => Services.SelectMany(s => s.Containers).ToList();

    /// <summary>The ids of the project's containers (so the object pipes into Get-Container and the other container cmdlets).</summary>
    public IReadOnlyList<string> ContainerId => Containers.Select(c => c.Id).ToList();

    /// <summary>Containers by state, as <c>docker compose ls</c> shows it: "running(2), exited(1)".</summary>
    public string Status => string.Join(", ", Containers.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()}({g.Count()})"));

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>One service of a running project.</summary>
public sealed class ComposeServiceInfo
{
    /// <summary>The project it belongs to.</summary>
    public string Project { get; init; } = "";

    /// <summary>The service name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Its containers, by number.</summary>
    public IReadOnlyList<ContainerInfo> Containers { get; init; } = [];

    /// <summary>The ids of its containers (so the object pipes into the container cmdlets).</summary>
    public IReadOnlyList<string> ContainerId => Containers.Select(c => c.Id).ToList();

    /// <summary>"running", "exited", "created", or "running(1), exited(1)" when its containers differ.</summary>
    public string State => Containers.Count == 0 ? "missing"
        : Containers.Select(c => c.Status).Distinct().Count() == 1 ? Containers[0].Status.ToString().ToLowerInvariant()
        : string.Join(", ", Containers.GroupBy(c => c.Status).Select(g => $"{g.Key.ToString().ToLowerInvariant()}({g.Count()})"));

    /// <summary>Whether this service is not in the compose file any more.</summary>
    public bool Orphan { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
