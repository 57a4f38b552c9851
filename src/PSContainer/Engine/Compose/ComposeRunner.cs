using PSContainer.Engine.Build;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Images;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Volumes;

namespace PSContainer.Engine.Compose;

/// <summary>
/// Runs compose projects on the engine. A project is what carries its labels: containers, networks and
/// volumes labelled <c>com.docker.compose.project=&lt;name&gt;</c>; nothing else is stored, so Docker Compose
/// and PSContainer see the same projects.
/// </summary>
internal sealed partial class ComposeRunner
{
    private readonly ContainerManager _containers;
    private readonly NetworkManager _networks;
    private readonly VolumeManager _volumes;
    private readonly ImageService _images;
    private readonly ImagePuller _puller;
    private readonly ImageBuilder _builder;
    private readonly Action<string> _report;
    private readonly Action<string> _warn;

    /// <param name="containers">The containers.</param>
    /// <param name="networks">The networks.</param>
    /// <param name="volumes">The volumes.</param>
    /// <param name="images">The images.</param>
    /// <param name="puller">Pulls images the services need.</param>
    /// <param name="builder">Builds the images of services with a build section.</param>
    /// <param name="report">Receives a line for each step (network created, container started, …).</param>
    /// <param name="warn">Receives what the user should know but that does not stop the work (orphans).</param>
    public ComposeRunner(ContainerManager containers, NetworkManager networks, VolumeManager volumes, ImageService images, ImagePuller puller,
        ImageBuilder builder, Action<string> report, Action<string> warn)
    {
        _containers = containers;
        _networks = networks;
        _volumes = volumes;
        _images = images;
        _puller = puller;
        _builder = builder;
        _report = report;
        _warn = warn;
    }

    /// <summary>Every project that has containers, by name.</summary>
    public List<ComposeProjectInfo> List()
    {
        var containers = _containers.List();
        return containers.Where(c => c.Settings.Labels.ContainsKey(ComposeLabels.Project))
            .GroupBy(c => c.Settings.Labels[ComposeLabels.Project], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Describe(g.Key, g.ToList(), null))
            .ToList();
    }

    /// <summary>One project by name; not found when it has no containers.</summary>
    public ComposeProjectInfo Get(string name, ComposeModel? model = null)
    {
        var containers = ContainersOf(name);
        if (containers.Count == 0 && model is null)
            throw new EngineException("ComposeProjectNotFound", EngineErrorKind.NotFound, $"No compose project named '{name}' has containers.", name);
        return Describe(name, containers, model);
    }

    /// <summary>The project's containers, brought up to date.</summary>
    private List<ContainerRecord> ContainersOf(string project) =>
        _containers.List().Where(c => c.Settings.Labels.TryGetValue(ComposeLabels.Project, out var p) && p == project).ToList();

    private static string ServiceOf(ContainerRecord record) => record.Settings.Labels.GetValueOrDefault(ComposeLabels.Service) ?? "";

    private static int NumberOf(ContainerRecord record) =>
        int.TryParse(record.Settings.Labels.GetValueOrDefault(ComposeLabels.ContainerNumber), out var n) ? n : 0;

    private static ComposeProjectInfo Describe(string name, List<ContainerRecord> containers, ComposeModel? model)
    {
        var newest = containers.OrderByDescending(c => c.Created).FirstOrDefault();
        var services = new List<ComposeServiceInfo>();
        var order = model?.Services.Select(s => s.Name).ToList() ?? [];
        foreach (var service in order.Concat(containers.Select(ServiceOf).Distinct().Order(StringComparer.Ordinal)).Distinct())
        {
            var own = containers.Where(c => ServiceOf(c) == service).OrderBy(NumberOf).Select(ContainerInfo.From).ToList();
            services.Add(new ComposeServiceInfo
            {
                Project = name,
                Name = service,
                Containers = own,
                Orphan = model is not null && model.Service(service) is null && !model.DisabledServices.Contains(service),
            });
        }
        return new ComposeProjectInfo
        {
            Name = name,
            WorkingDirectory = model?.WorkingDirectory ?? newest?.Settings.Labels.GetValueOrDefault(ComposeLabels.WorkingDir) ?? "",
            ConfigFiles = model?.ConfigFiles ?? (newest?.Settings.Labels.GetValueOrDefault(ComposeLabels.ConfigFiles) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
            Services = services,
        };
    }

    /// <summary>Whether a network or volume's labels say it belongs to <paramref name="project"/>.</summary>
    private static bool BelongsTo(IReadOnlyDictionary<string, string> labels, string project) =>
        labels.TryGetValue(ComposeLabels.Project, out var p) && p == project;

    private NetworkInfo? FindNetwork(string name) =>
        _networks.List().FirstOrDefault(n => n.Name == name);
}
