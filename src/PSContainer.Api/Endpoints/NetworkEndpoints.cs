using PSContainer.Engine;
using PSContainer.Engine.Networks;

namespace PSContainer.Api.Endpoints;

/// <summary>Networks: create, list, inspect, remove, prune, connect, disconnect.</summary>
internal static class NetworkEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/networks/create", Create);
        app.MapGet("/networks", List);
        app.MapPost("/networks/prune", Prune);
        app.MapGet("/networks/{id}", Inspect);
        app.MapDelete("/networks/{id}", Remove);
        app.MapPost("/networks/{id}/connect", Connect);
        app.MapPost("/networks/{id}/disconnect", Disconnect);
    }

    private sealed class CreateBody
    {
        public string? Name { get; set; }
        public string? Driver { get; set; }
        public bool Internal { get; set; }
        public bool CheckDuplicate { get; set; }
        public bool Attachable { get; set; }
        public bool EnableIPv6 { get; set; }
        public IpamBody? IPAM { get; set; }
        public Dictionary<string, string>? Options { get; set; }
        public Dictionary<string, string>? Labels { get; set; }
    }

    private sealed class IpamBody
    {
        public string? Driver { get; set; }
        public List<IpamConfig>? Config { get; set; }
    }

    private sealed class IpamConfig
    {
        public string? Subnet { get; set; }
        public string? Gateway { get; set; }
        public string? IPRange { get; set; }
    }

    private sealed class ConnectBody
    {
        public string? Container { get; set; }
        public EndpointBody? EndpointConfig { get; set; }
        public bool Force { get; set; }
    }

    private sealed class EndpointBody
    {
        public List<string>? Aliases { get; set; }
    }

    private static object View(NetworkInfo network, IEnumerable<PSContainer.Engine.Containers.ContainerRecord> containers) => new
    {
        network.Name,
        Id = network.Id,
        Created = ContainerViews.Time(network.Created),
        Scope = "local",
        Driver = network.Driver,
        EnableIPv6 = false,
        IPAM = new
        {
            Driver = "default",
            Options = new Dictionary<string, string>(),
            Config = network.Subnet is null ? [] : new[] { new { Subnet = network.Subnet, Gateway = network.Gateway ?? "" } },
        },
        Internal = network.Internal,
        Attachable = false,
        Ingress = false,
        ConfigOnly = false,
        Containers = containers
            .Where(c => c.Network.Endpoints.Any(e => e.Network == network.Name))
            .ToDictionary(c => c.Id, c =>
            {
                var endpoint = c.Network.Endpoints.First(e => e.Network == network.Name);
                return (object)new
                {
                    Name = c.Name,
                    EndpointID = endpoint.Interface ?? "",
                    MacAddress = endpoint.MacAddress ?? "",
                    IPv4Address = endpoint.IPAddress is null ? "" : $"{endpoint.IPAddress}/{endpoint.PrefixLength}",
                    IPv6Address = "",
                };
            }),
        Options = new Dictionary<string, string>(),
        Labels = network.Labels,
    };

    private static NetworkInfo Find(ContainerEngine engine, string id)
    {
        try
        {
            return engine.Networks.Get(id);
        }
        catch (EngineException ex) when (ex.Kind == EngineErrorKind.NotFound)
        {
            throw ApiException.NotFound($"network {id} not found");
        }
    }

    private static async Task Create(HttpContext context)
    {
        var body = await Json.ReadBody<CreateBody>(context);
        if (string.IsNullOrEmpty(body.Name)) throw ApiException.BadRequest("network name is required");
        if (body.Driver is { Length: > 0 } driver && driver != "bridge")
            throw ApiException.BadRequest($"network driver '{driver}' is not supported by PSContainer: only bridge networks are");
        if (body.EnableIPv6) throw ApiException.BadRequest("IPv6 networks are not supported by PSContainer");
        if (body.Options is { Count: > 0 }) throw ApiException.BadRequest($"network options ({string.Join(", ", body.Options.Keys)}) are not supported by PSContainer");
        var ipam = body.IPAM?.Config ?? [];
        if (ipam.Count > 1) throw ApiException.BadRequest("PSContainer networks have one subnet");
        if (ipam.FirstOrDefault()?.IPRange is { Length: > 0 }) throw ApiException.BadRequest("IPAM IPRange is not supported by PSContainer");
        var spec = new NetworkSpec
        {
            Name = body.Name,
            Subnet = ipam.FirstOrDefault()?.Subnet,
            Gateway = ipam.FirstOrDefault()?.Gateway,
            Internal = body.Internal,
            Labels = body.Labels ?? [],
        };
        var engine = Engines.Of(context);
        var network = await Engines.Run(() => engine.Networks.Create(spec));
        await Json.Write(context, new { Id = network.Id, Warning = "" }, StatusCodes.Status201Created);
    }

    private static async Task List(HttpContext context)
    {
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "name", "id", "label", "driver", "type", "scope", "dangling");
        var engine = Engines.Of(context);
        var (networks, containers) = await Engines.Run(() => (engine.Networks.List(), engine.Containers.Store.List()));
        IEnumerable<NetworkInfo> selected = networks;
        if (filters.TryGetValue("name", out var names)) selected = selected.Where(n => names.Any(v => n.Name.Contains(v, StringComparison.Ordinal)));
        if (filters.TryGetValue("id", out var ids)) selected = selected.Where(n => ids.Any(v => n.Id.StartsWith(v, StringComparison.Ordinal)));
        if (filters.TryGetValue("label", out var labels)) selected = selected.Where(n => Query.LabelsMatch(n.Labels, labels));
        if (filters.TryGetValue("driver", out var drivers)) selected = selected.Where(n => drivers.Contains(n.Driver));
        if (filters.TryGetValue("type", out var types)) selected = selected.Where(n => types.Contains(n.IsDefault ? "builtin" : "custom"));
        await Json.Write(context, selected.Select(n => View(n, containers)).ToList());
    }

    private static async Task Inspect(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var (network, containers) = await Engines.Run(() => (Find(engine, id), engine.Containers.Store.List()));
        await Json.Write(context, View(network, containers));
    }

    private static async Task Remove(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        await Engines.Run(() => engine.Networks.Remove(Find(engine, id).Name));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task Prune(HttpContext context)
    {
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "label", "until");
        var engine = Engines.Of(context);
        var removed = await Engines.RunLong(() =>
        {
            var deleted = new List<string>();
            var used = engine.Containers.List().SelectMany(c => c.Network.Endpoints.Select(e => e.Network).Append(c.Settings.Network ?? "")).ToHashSet();
            foreach (var network in engine.Networks.List())
            {
                if (network.IsDefault || used.Contains(network.Name)) continue;
                if (filters.TryGetValue("label", out var labels) && !Query.LabelsMatch(network.Labels, labels)) continue;
                if (filters.TryGetValue("until", out var until) && until.Count > 0 && network.Created >= ContainerEndpoints.ParseUntil(until[0])) continue;
                try
                {
                    engine.Networks.Remove(network.Name);
                    deleted.Add(network.Name);
                }
                catch (EngineException)
                {
                    // Taken into use meanwhile.
                }
            }
            return deleted;
        });
        await Json.Write(context, new { NetworksDeleted = removed });
    }

    private static async Task Connect(HttpContext context)
    {
        var body = await Json.ReadBody<ConnectBody>(context);
        if (string.IsNullOrEmpty(body.Container)) throw ApiException.BadRequest("container is required");
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        await Engines.Run(() =>
        {
            var network = Find(engine, id);
            var container = ContainerEndpoints.Find(engine, body.Container);
            engine.Containers.Connect(container.Id, network.Name, body.EndpointConfig?.Aliases ?? []);
        });
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task Disconnect(HttpContext context)
    {
        var body = await Json.ReadBody<ConnectBody>(context);
        if (string.IsNullOrEmpty(body.Container)) throw ApiException.BadRequest("container is required");
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        await Engines.Run(() =>
        {
            var network = Find(engine, id);
            var container = ContainerEndpoints.Find(engine, body.Container);
            engine.Containers.Disconnect(container.Id, network.Name);
        });
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
