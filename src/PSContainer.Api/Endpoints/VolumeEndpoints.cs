using PSContainer.Engine;
using PSContainer.Engine.Volumes;

namespace PSContainer.Api.Endpoints;

/// <summary>Volumes: create, list, inspect, remove, prune.</summary>
internal static class VolumeEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/volumes/create", Create);
        app.MapGet("/volumes", List);
        app.MapPost("/volumes/prune", Prune);
        app.MapGet("/volumes/{name}", Inspect);
        app.MapDelete("/volumes/{name}", Remove);
    }

    private sealed class CreateBody
    {
        public string? Name { get; set; }
        public string? Driver { get; set; }
        public Dictionary<string, string>? DriverOpts { get; set; }
        public Dictionary<string, string>? Labels { get; set; }
    }

    private static object View(VolumeInfo volume) => new
    {
        volume.Name,
        Driver = "local",
        volume.Mountpoint,
        CreatedAt = ContainerViews.Time(volume.Created),
        Labels = volume.Labels,
        Scope = "local",
        Options = new Dictionary<string, string>(),
        UsageData = volume.Size is { } size ? new { Size = size, RefCount = (long)volume.UsedBy.Count } : null,
    };

    private static async Task Create(HttpContext context)
    {
        var body = await Json.ReadBody<CreateBody>(context);
        if (body.Driver is { Length: > 0 } driver && driver != "local")
            throw ApiException.BadRequest($"volume driver '{driver}' is not supported by PSContainer: only local volumes are");
        if (body.DriverOpts is { Count: > 0 })
            throw ApiException.BadRequest("volume driver options are not supported by PSContainer");
        var engine = Engines.Of(context);
        var volume = await Engines.Run(() =>
        {
            // Creating a volume that exists returns it, as dockerd does (compose relies on it).
            if (body.Name is { Length: > 0 } name && engine.Volumes.Store.Get(name) is { } existing)
                return engine.Volumes.Describe(existing, engine.Volumes.Users(), withSize: false);
            var record = engine.Volumes.Create(string.IsNullOrEmpty(body.Name) ? null : body.Name, body.Labels ?? []);
            return engine.Volumes.Describe(record, new Dictionary<string, List<string>>(), withSize: false);
        });
        await Json.Write(context, View(volume), StatusCodes.Status201Created);
    }

    private static async Task List(HttpContext context)
    {
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "name", "label", "dangling", "driver");
        var engine = Engines.Of(context);
        var volumes = await Engines.Run(() =>
        {
            var users = engine.Volumes.Users();
            return engine.Volumes.List().Select(v => engine.Volumes.Describe(v, users, withSize: false)).ToList();
        });
        IEnumerable<VolumeInfo> selected = volumes;
        if (filters.TryGetValue("name", out var names)) selected = selected.Where(v => names.Any(n => v.Name.Contains(n, StringComparison.Ordinal)));
        if (filters.TryGetValue("label", out var labels)) selected = selected.Where(v => Query.LabelsMatch(v.Labels, labels));
        if (filters.TryGetValue("dangling", out var dangling) && dangling.Count > 0)
            selected = selected.Where(v => (v.UsedBy.Count == 0) == (dangling[0] is "true" or "1"));
        if (filters.TryGetValue("driver", out var drivers)) selected = selected.Where(_ => drivers.Contains("local"));
        await Json.Write(context, new { Volumes = selected.Select(View).ToList(), Warnings = Array.Empty<string>() });
    }

    private static async Task Inspect(HttpContext context)
    {
        var engine = Engines.Of(context);
        var name = Engines.Route(context, "name");
        var volume = await Engines.Run(() => engine.Volumes.Describe(Find(engine, name), engine.Volumes.Users(), withSize: false));
        await Json.Write(context, View(volume));
    }

    private static VolumeRecord Find(ContainerEngine engine, string name) =>
        engine.Volumes.Store.Get(name) ?? throw ApiException.NotFound($"get {name}: no such volume");

    private static async Task Remove(HttpContext context)
    {
        var engine = Engines.Of(context);
        var name = Engines.Route(context, "name");
        var force = Query.Bool(context, "force");
        await Engines.Run(() =>
        {
            Find(engine, name);
            engine.Volumes.Remove(name, force);
        });
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task Prune(HttpContext context)
    {
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "label", "all");
        if (filters.ContainsKey("label")) throw ApiException.BadRequest("pruning volumes by label is not supported by PSContainer");
        var engine = Engines.Of(context);
        var removed = await Engines.RunLong(() => engine.Volumes.Prune());
        await Json.Write(context, new { VolumesDeleted = removed.Select(v => v.Name).ToList(), SpaceReclaimed = 0L });
    }
}
