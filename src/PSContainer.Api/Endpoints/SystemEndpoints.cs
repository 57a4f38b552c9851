using System.Runtime.InteropServices;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Oci;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Diagnostics;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Storage;

namespace PSContainer.Api.Endpoints;

/// <summary>System: _ping, version, info, events, system/df, auth.</summary>
internal static class SystemEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapMethods("/_ping", ["GET", "HEAD"], Ping);
        app.MapGet("/version", Version);
        app.MapGet("/info", Info);
        app.MapGet("/events", Events);
        app.MapGet("/system/df", DiskUsageReport);
        app.MapPost("/auth", Auth);
    }

    private static Task Ping(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache, no-store, must-revalidate";
        headers.Pragma = "no-cache";
        // The legacy builder ("1"); BuildKit is not offered.
        headers["Builder-Version"] = "1";
        headers["Swarm"] = "inactive";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync("OK");
    }

    private static Task Version(HttpContext context) => Json.Write(context, new
    {
        Platform = new { Name = "PSContainer" },
        Components = new[]
        {
            new
            {
                Name = "Engine",
                Version = ServerInfo.Version,
                Details = new Dictionary<string, string>
                {
                    ["ApiVersion"] = ApiVersion.MaximumText,
                    ["MinAPIVersion"] = ApiVersion.MinimumText,
                    ["Os"] = "linux",
                    ["Arch"] = Architecture(),
                    ["KernelVersion"] = KernelVersion(),
                },
            },
        },
        Version = ServerInfo.Version,
        ApiVersion = ApiVersion.MaximumText,
        MinAPIVersion = ApiVersion.MinimumText,
        GitCommit = "",
        GoVersion = "",
        Os = "linux",
        Arch = Architecture(),
        KernelVersion = KernelVersion(),
        BuildTime = "",
    });

    private static async Task Info(HttpContext context)
    {
        var engine = Engines.Of(context);
        var (containers, images, runtime) = await Engines.Run(() => (engine.Containers.List(), engine.ImageStore.List().Count, engine.Containers.DefaultRuntime));
        await Json.Write(context, new Dictionary<string, object?>
        {
            ["ID"] = engine.Layout.Root,
            ["Containers"] = containers.Count,
            ["ContainersRunning"] = containers.Count(c => c.State.Status == ContainerStatus.Running),
            ["ContainersPaused"] = containers.Count(c => c.State.Status == ContainerStatus.Paused),
            ["ContainersStopped"] = containers.Count(c => c.State.Status is ContainerStatus.Exited or ContainerStatus.Created),
            ["Images"] = images,
            ["Driver"] = "overlay",
            ["DriverStatus"] = new[] { new[] { "Backing Filesystem", "overlayfs" } },
            ["Plugins"] = new { Volume = new[] { "local" }, Network = new[] { "bridge", "host", "null" }, Log = new[] { "k8s-file" }, Authorization = (string[]?)null },
            ["MemoryLimit"] = true,
            ["SwapLimit"] = true,
            ["CpuCfsPeriod"] = true,
            ["CpuCfsQuota"] = true,
            ["PidsLimit"] = true,
            ["IPv4Forwarding"] = true,
            ["Debug"] = false,
            ["NFd"] = 0,
            ["NGoroutines"] = 0,
            ["SystemTime"] = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture),
            ["LoggingDriver"] = "k8s-file",
            ["CgroupDriver"] = "cgroupfs",
            ["CgroupVersion"] = engine.Cgroups.Mode == PSContainer.Engine.Runtime.CgroupMode.V2 ? "2" : "1",
            ["NEventsListener"] = 0,
            ["KernelVersion"] = KernelVersion(),
            ["OperatingSystem"] = OperatingSystem(),
            ["OSVersion"] = "",
            ["OSType"] = "linux",
            ["Architecture"] = RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "aarch64" : "x86_64",
            ["IndexServerAddress"] = "https://index.docker.io/v1/",
            ["RegistryConfig"] = new
            {
                InsecureRegistryCIDRs = new[] { "127.0.0.0/8" },
                IndexConfigs = new Dictionary<string, object>(),
                Mirrors = Array.Empty<string>(),
            },
            ["NCPU"] = Environment.ProcessorCount,
            ["MemTotal"] = MemTotal(),
            ["DockerRootDir"] = engine.Layout.Root,
            ["Name"] = Environment.MachineName,
            ["Labels"] = Array.Empty<string>(),
            ["ExperimentalBuild"] = false,
            ["ServerVersion"] = ServerInfo.Version,
            ["Runtimes"] = new Dictionary<string, object> { [runtime.Name] = new { path = runtime.Path } },
            ["DefaultRuntime"] = runtime.Name,
            ["Swarm"] = new { NodeID = "", NodeAddr = "", LocalNodeState = "inactive", ControlAvailable = false, Error = "", RemoteManagers = (object?)null },
            ["LiveRestoreEnabled"] = true,
            ["Isolation"] = "",
            ["InitBinary"] = "",
            ["SecurityOptions"] = new[] { "name=seccomp,profile=builtin" },
            ["Warnings"] = Array.Empty<string>(),
        });
    }

    private static async Task Events(HttpContext context)
    {
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "container", "event", "image", "label", "network", "type", "volume");
        var until = Query.Time(context, "until");
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        // The store keeps no event log yet: the stream stays open (until "until") with nothing to tell.
        var wait = until is { } end ? end - DateTimeOffset.UtcNow : System.Threading.Timeout.InfiniteTimeSpan;
        if (wait > TimeSpan.Zero || wait == System.Threading.Timeout.InfiniteTimeSpan)
            await Task.Delay(wait, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static async Task DiskUsageReport(HttpContext context)
    {
        var engine = Engines.Of(context);
        var report = await Engines.Run(() =>
        {
            var containers = engine.Containers.List();
            var images = engine.Images.List();
            var users = engine.Volumes.Users();
            var volumes = engine.Volumes.List().Select(v => engine.Volumes.Describe(v, users, withSize: true)).ToList();
            return new
            {
                LayersSize = DiskUsage.Of(engine.Layout.LayersDir),
                Images = images.GroupBy(i => i.Id).Select(g => new
                {
                    Id = g.Key,
                    ParentId = "",
                    RepoTags = g.SelectMany(i => i.RepoTags).Distinct().ToArray(),
                    RepoDigests = g.SelectMany(i => i.RepoDigests).Distinct().ToArray(),
                    Created = g.First().Created.ToUnixTimeSeconds(),
                    Size = g.First().Size,
                    SharedSize = 0L,
                    VirtualSize = g.First().Size,
                    Labels = g.First().Labels,
                    Containers = containers.Count(c => c.ImageId == g.Key),
                }).ToList(),
                Containers = containers.Select(c =>
                {
                    var summary = ContainerViews.Summary(c, size: false);
                    summary["SizeRw"] = DiskUsage.Of(engine.Containers.Store.PathsOf(c.Id).Upper);
                    return summary;
                }).ToList(),
                Volumes = volumes.Select(v => new
                {
                    v.Name,
                    Driver = "local",
                    v.Mountpoint,
                    CreatedAt = ContainerViews.Time(v.Created),
                    v.Labels,
                    Scope = "local",
                    UsageData = new { Size = v.Size ?? -1, RefCount = v.UsedBy.Count },
                }).ToList(),
                BuildCache = Array.Empty<object>(),
            };
        });
        await Json.Write(context, report);
    }

    private sealed class AuthBody
    {
        public string? Username { get; set; }
        public string? Password { get; set; }
        public string? ServerAddress { get; set; }
        public string? IdentityToken { get; set; }
    }

    private static async Task Auth(HttpContext context)
    {
        var body = await Json.ReadBody<AuthBody>(context);
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password))
            throw ApiException.BadRequest("username and password are required");
        string registry;
        try
        {
            registry = RegistryLogin.Normalize(string.IsNullOrEmpty(body.ServerAddress) ? "docker.io" : body.ServerAddress);
        }
        catch (EngineException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }
        // Only checked: the client files the login itself, as with dockerd.
        using (var client = new RegistryClient(registry, new RegistryClientOptions { Credential = new RegistryCredential(body.Username, body.Password) }))
        {
            try
            {
                await client.VerifyLoginAsync(context.RequestAborted);
            }
            catch (EngineException ex) when (ex.Kind is EngineErrorKind.PermissionDenied or EngineErrorKind.ExternalFailure)
            {
                throw new ApiException(StatusCodes.Status401Unauthorized, ex.Message);
            }
        }
        await Json.Write(context, new { Status = "Login Succeeded", IdentityToken = "" });
    }

    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        _ => "amd64",
    };

    private static string KernelVersion() => File.ReadAllText("/proc/sys/kernel/osrelease").Trim();

    private static string OperatingSystem()
    {
        foreach (var line in File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release") : [])
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) return line[12..].Trim('"');
        return "Linux";
    }

    private static long MemTotal()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal) && long.TryParse(line[9..].Replace("kB", "").Trim(), out var kb)) return kb * 1024;
        return 0;
    }
}
