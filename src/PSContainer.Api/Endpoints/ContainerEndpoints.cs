using System.Globalization;
using System.Text.RegularExpressions;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Images;
using PSContainer.Engine.Oci;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;

namespace PSContainer.Api.Endpoints;

/// <summary>The container lifecycle: create, list, inspect, start, stop, restart, kill, pause, wait, remove, rename, prune, top, changes, stats, export.</summary>
internal static class ContainerEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/containers/create", Create);
        app.MapGet("/containers/json", List);
        app.MapPost("/containers/prune", Prune);
        app.MapGet("/containers/{id}/json", Inspect);
        app.MapPost("/containers/{id}/start", Start);
        app.MapPost("/containers/{id}/stop", Stop);
        app.MapPost("/containers/{id}/restart", Restart);
        app.MapPost("/containers/{id}/kill", Kill);
        app.MapPost("/containers/{id}/pause", context => Lifecycle(context, (engine, id) => engine.Containers.Pause(id)));
        app.MapPost("/containers/{id}/unpause", context => Lifecycle(context, (engine, id) => engine.Containers.Resume(id)));
        app.MapPost("/containers/{id}/wait", Wait);
        app.MapDelete("/containers/{id}", Remove);
        app.MapPost("/containers/{id}/rename", Rename);
        app.MapPost("/containers/{id}/update", Update);
        app.MapGet("/containers/{id}/top", Top);
        app.MapGet("/containers/{id}/changes", Changes);
        app.MapGet("/containers/{id}/stats", Stats);
        app.MapGet("/containers/{id}/export", Export);
        app.MapGet("/containers/{id}/logs", ContainerLogs.Logs);
    }

    private static async Task Create(HttpContext context)
    {
        var body = await Json.ReadElement(context);
        var name = Query.String(context, "name");
        if (Query.String(context, "platform") is { } platform && platform != "linux" && !platform.StartsWith("linux/", StringComparison.Ordinal))
            throw ApiException.BadRequest($"platform '{platform}' is not supported: PSContainer runs Linux containers of this host's architecture");
        var request = ContainerCreation.Map(body, name);
        var engine = Engines.Of(context);
        ContainerRecord record;
        try
        {
            record = await Engines.Run(() => engine.Containers.Create(request));
        }
        catch (EngineException ex) when (ex.ErrorId is "ImageNotFound")
        {
            // The docker CLI pulls and retries on exactly this answer.
            throw ApiException.NotFound($"No such image: {request.Image}");
        }
        await Json.Write(context, new { Id = record.Id, Warnings = Array.Empty<string>() }, StatusCodes.Status201Created);
    }

    private static async Task List(HttpContext context)
    {
        var all = Query.Bool(context, "all");
        var limit = Query.Long(context, "limit");
        var size = Query.Bool(context, "size");
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "id", "name", "label", "status", "ancestor", "network", "exited", "before", "since");
        var engine = Engines.Of(context);
        var records = await Engines.Run(() => engine.Containers.List());
        var images = filters.TryGetValue("ancestor", out var ancestors)
            ? await Engines.Run(() => ancestors.Select(a => TryResolveImage(engine, a)).Where(i => i is not null).ToHashSet())
            : null;
        IEnumerable<ContainerRecord> selected = records.OrderByDescending(r => r.Created);
        if (!all && !filters.ContainsKey("status") && !filters.ContainsKey("exited"))
            selected = selected.Where(r => r.State.Status is ContainerStatus.Running or ContainerStatus.Paused);
        selected = selected.Where(r => Matches(r, filters, images));
        if (filters.TryGetValue("before", out var before))
            selected = Relative(records, before, selected, (r, pivot) => r.Created < pivot.Created);
        if (filters.TryGetValue("since", out var since))
            selected = Relative(records, since, selected, (r, pivot) => r.Created > pivot.Created);
        if (limit is > 0) selected = selected.Take((int)limit.Value);
        await Json.Write(context, selected.Select(r => ContainerViews.Summary(r, size)).ToList());
    }

    private static IEnumerable<ContainerRecord> Relative(List<ContainerRecord> all, List<string> pivots, IEnumerable<ContainerRecord> selected, Func<ContainerRecord, ContainerRecord, bool> keep)
    {
        foreach (var pivotName in pivots)
        {
            var pivot = all.FirstOrDefault(r => r.Name == pivotName || r.Id.StartsWith(pivotName, StringComparison.Ordinal))
                ?? throw ApiException.NotFound($"No such container: {pivotName}");
            selected = selected.Where(r => keep(r, pivot));
        }
        return selected;
    }

    private static string? TryResolveImage(ContainerEngine engine, string reference)
    {
        try
        {
            return engine.Images.Resolve(reference).Id;
        }
        catch (EngineException)
        {
            return null;
        }
    }

    private static bool Matches(ContainerRecord record, Dictionary<string, List<string>> filters, HashSet<string?>? images)
    {
        foreach (var (name, values) in filters)
        {
            if (values.Count == 0) continue;
            var ok = name switch
            {
                "id" => values.Any(v => record.Id.StartsWith(v, StringComparison.Ordinal)),
                "name" => values.Any(v => NameMatches(record.Name, v)),
                "label" => Query.LabelsMatch(record.Settings.Labels, values),
                "status" => values.Any(v => v == ContainerViews.State(record.State.Status)),
                "ancestor" => images!.Contains(record.ImageId) || values.Contains(record.ImageName),
                "network" => values.Any(v => record.Network.Endpoints.Any(e => e.Network == v) || record.Settings.Network == v),
                "exited" => record.State.Status == ContainerStatus.Exited && values.Any(v => v == (record.State.ExitCode ?? 0).ToString(CultureInfo.InvariantCulture)),
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    // docker matches names as regular expressions against "/name".
    private static bool NameMatches(string name, string pattern)
    {
        try
        {
            return Regex.IsMatch("/" + name, pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            throw ApiException.BadRequest($"invalid name filter '{pattern}'");
        }
    }

    private static async Task Inspect(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var (record, config) = await Engines.Run(() =>
        {
            var found = Find(engine, id);
            OciRunConfig? image = null;
            try
            {
                image = engine.ImageStore.Config(engine.Images.Resolve(found.ImageId)).Config;
            }
            catch (EngineException)
            {
                // The image was removed under a stopped container: show what the container itself says.
            }
            return (found, image);
        });
        await Json.Write(context, ContainerViews.Inspect(record, config, null));
    }

    /// <summary>Finds a container, with dockerd's "No such container" wording for a 404.</summary>
    public static ContainerRecord Find(ContainerEngine engine, string id)
    {
        try
        {
            return engine.Containers.Find(id);
        }
        catch (EngineException ex) when (ex.Kind == EngineErrorKind.NotFound)
        {
            throw ApiException.NotFound($"No such container: {id}");
        }
    }

    private static async Task Start(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var rendezvous = context.RequestServices.GetRequiredService<AttachRendezvous>();
        var before = await Engines.Run(() => Find(engine, id));
        if (before.State.Status == ContainerStatus.Running)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        await Engines.Run(() => engine.Containers.Start(before.Id, paths => rendezvous.Started(before.Id, paths)));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task Stop(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var timeout = Timeout(context);
        var record = await Engines.Run(() => Find(engine, id));
        if (record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        await Engines.RunLong(() => engine.Containers.Stop(record.Id, timeout));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task Restart(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var timeout = Timeout(context);
        var rendezvous = context.RequestServices.GetRequiredService<AttachRendezvous>();
        await Engines.RunLong(() =>
        {
            var record = engine.Containers.Stop(Find(engine, id).Id, timeout);
            engine.Containers.Start(record.Id, paths => rendezvous.Started(record.Id, paths));
        });
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    // "t" (seconds; -1 waits for ever), as docker stop -t sends it.
    private static TimeSpan? Timeout(HttpContext context) => Query.Long(context, "t") switch
    {
        null => null,
        < 0 => System.Threading.Timeout.InfiniteTimeSpan,
        var seconds => TimeSpan.FromSeconds(seconds.Value),
    };

    private static async Task Kill(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var signalText = Query.String(context, "signal") ?? "SIGKILL";
        int signal;
        try
        {
            signal = Signals.Parse(signalText);
        }
        catch (EngineException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }
        await Engines.Run(() => engine.Containers.Kill(Find(engine, id).Id, signal));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task Lifecycle(HttpContext context, Func<ContainerEngine, string, ContainerRecord> action)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        await Engines.Run(() => action(engine, Find(engine, id).Id));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task Wait(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var condition = Query.String(context, "condition") ?? "not-running";
        if (condition is not ("not-running" or "next-exit" or "removed"))
            throw ApiException.BadRequest($"invalid condition '{condition}': use not-running, next-exit or removed");
        var record = await Engines.Run(() => Find(engine, id));
        // The status line goes out at once, so the client knows the wait is in place before it starts the container.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var cancel = context.RequestAborted;
        string? error = null;
        var code = await Engines.RunLong(() =>
        {
            try
            {
                if (condition == "not-running" && record.State.Status == ContainerStatus.Created) return 0;
                if (condition == "next-exit" && record.State.Status == ContainerStatus.Exited)
                    WaitUntilStarted(engine, record.Id, cancel);
                var exit = engine.Containers.Wait(record.Id, cancel);
                if (condition == "removed")
                    while (engine.Containers.Store.Get(record.Id) is not null && !cancel.IsCancellationRequested)
                        cancel.WaitHandle.WaitOne(50);
                return exit;
            }
            catch (EngineException ex)
            {
                error = ex.Message;
                return -1;
            }
        });
        await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(
            new { StatusCode = code, Error = error is null ? null : new { Message = error } }, Json.Options) + "\n", cancel);
    }

    private static void WaitUntilStarted(ContainerEngine engine, string id, CancellationToken cancel)
    {
        var startedAt = engine.Containers.Store.Get(id)?.State.StartedAt;
        while (!cancel.IsCancellationRequested && engine.Containers.Store.Get(id) is { } current
               && current.State.Status == ContainerStatus.Exited && current.State.StartedAt == startedAt)
            cancel.WaitHandle.WaitOne(50);
    }

    private static async Task Remove(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var force = Query.Bool(context, "force");
        var volumes = Query.Bool(context, "v");
        if (Query.Bool(context, "link")) throw ApiException.BadRequest("links are not supported by PSContainer");
        await Engines.RunLong(() =>
        {
            var record = Find(engine, id);
            try
            {
                engine.Containers.Remove(record.Id, force, volumes);
            }
            catch (EngineException ex) when (ex.ErrorId == "ContainerRunning")
            {
                throw ApiException.Conflict($"cannot remove container \"/{record.Name}\": container is running: stop the container before removing or force remove");
            }
        });
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task Rename(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var name = Query.String(context, "name") ?? throw ApiException.BadRequest("name is required");
        await Engines.Run(() => engine.Containers.Rename(Find(engine, id).Id, name.TrimStart('/')));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task Update(HttpContext context)
    {
        var body = await Json.ReadElement(context);
        var asked = body.EnumerateObject().Where(p => p.Value.ValueKind is not (System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.False)
            && !(p.Value.ValueKind == System.Text.Json.JsonValueKind.Number && p.Value.GetDouble() == 0)).Select(p => p.Name).ToList();
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        await Engines.Run(() => Find(engine, id));
        if (asked.Count > 0)
            throw ApiException.BadRequest($"updating a container's {string.Join(", ", asked)} is not supported by PSContainer; create a new container instead");
        await Json.Write(context, new { Warnings = Array.Empty<string>() });
    }

    private static async Task Top(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var processes = await Engines.Run(() =>
        {
            var record = Find(engine, id);
            if (record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
                throw ApiException.Conflict($"container {record.Id} is not running");
            return ContainerProcesses.Of(engine.Containers, record.Id);
        });
        await Json.Write(context, new
        {
            Titles = new[] { "UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD" },
            Processes = processes.Select(p => new[]
            {
                p.User, p.Pid.ToString(CultureInfo.InvariantCulture), p.ParentPid.ToString(CultureInfo.InvariantCulture), "0",
                p.StartTime.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture), "?",
                p.CpuTime.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), p.CommandLine,
            }).ToList(),
        });
    }

    private static async Task Changes(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var changes = await Engines.Run(() => engine.Files.Changes(Find(engine, id).Id));
        await Json.Write(context, changes.Select(c => new
        {
            c.Path,
            Kind = c.Kind switch { ContainerChangeKind.Added => 1, ContainerChangeKind.Deleted => 2, _ => 0 },
        }).ToList());
    }

    private static async Task Stats(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var stream = Query.Bool(context, "stream", defaultValue: true);
        var oneShot = Query.Bool(context, "one-shot");
        var record = await Engines.Run(() => Find(engine, id));
        var sampler = engine.StatsSampler();
        var cores = Environment.ProcessorCount;
        object? previous = null;
        ContainerStats? last = null;
        long lastSystem = 0;
        context.Response.ContentType = "application/json";
        do
        {
            var sample = await Engines.Run(() => sampler.Sample(Find(engine, record.Id)));
            var system = SystemCpuNanoseconds();
            var current = StatsDocument(record, sample, system, cores);
            // Without streaming, docker shows one sample with a CPU figure: take two a moment apart, as dockerd does.
            if (!stream && !oneShot && last is null && sample is not null)
            {
                previous = current;
                last = sample;
                lastSystem = system;
                await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
                continue;
            }
            var document = (Dictionary<string, object?>)current;
            document["precpu_stats"] = previous is Dictionary<string, object?> p ? p["cpu_stats"] : Empty(cores);
            await Json.WriteLine(context, document);
            previous = current;
            last = sample;
            lastSystem = system;
            if (!stream || oneShot || sample is null) break;
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
        }
        while (true);
    }

    private static object Empty(int cores) => new { cpu_usage = new { total_usage = 0L }, system_cpu_usage = 0L, online_cpus = cores };

    private static object StatsDocument(ContainerRecord record, ContainerStats? sample, long system, int cores) => new Dictionary<string, object?>
    {
        ["read"] = ContainerViews.Time(DateTimeOffset.UtcNow),
        ["preread"] = "0001-01-01T00:00:00Z",
        ["id"] = record.Id,
        ["name"] = "/" + record.Name,
        ["pids_stats"] = new { current = sample?.Pids ?? 0 },
        ["cpu_stats"] = new
        {
            cpu_usage = new { total_usage = (long)(sample?.CpuTime.TotalNanoseconds ?? 0) },
            system_cpu_usage = system,
            online_cpus = cores,
        },
        ["memory_stats"] = sample is null ? new { } : new { usage = sample.MemoryUsage, limit = sample.MemoryLimit, stats = new Dictionary<string, long>() },
        ["blkio_stats"] = new
        {
            io_service_bytes_recursive = sample is null ? [] : new[]
            {
                new { major = 0, minor = 0, op = "read", value = sample.BlockRead },
                new { major = 0, minor = 0, op = "write", value = sample.BlockWrite },
            },
        },
    };

    // The host's busy plus idle time from /proc/stat, in nanoseconds, as dockerd reports system_cpu_usage.
    private static long SystemCpuNanoseconds()
    {
        var line = File.ReadLines("/proc/stat").First();
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(7).Sum(t => long.Parse(t, CultureInfo.InvariantCulture));
        return ticks * (1_000_000_000 / 100);
    }

    private static async Task Export(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var file = Path.Combine(engine.Layout.TempDir, TempName.For("export"));
        try
        {
            await Engines.RunLong(() => engine.Files.Export(Find(engine, id).Id, file));
            context.Response.ContentType = "application/x-tar";
            await using var tar = File.OpenRead(file);
            await tar.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task Prune(HttpContext context)
    {
        var engine = Engines.Of(context);
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "label", "until");
        var until = filters.TryGetValue("until", out var untilValues) && untilValues.Count > 0 ? ParseUntil(untilValues[0]) : (DateTimeOffset?)null;
        var deleted = await Engines.RunLong(() =>
        {
            var removed = new List<string>();
            foreach (var record in engine.Containers.List())
            {
                if (record.State.Status is not (ContainerStatus.Exited or ContainerStatus.Created)) continue;
                if (filters.TryGetValue("label", out var labels) && !Query.LabelsMatch(record.Settings.Labels, labels)) continue;
                if (until is { } limit && record.Created >= limit) continue;
                try
                {
                    engine.Containers.Remove(record.Id, force: false);
                    removed.Add(record.Id);
                }
                catch (EngineException)
                {
                    // Started meanwhile: it is no longer prunable.
                }
            }
            return removed;
        });
        await Json.Write(context, new { ContainersDeleted = deleted, SpaceReclaimed = 0L });
    }

    /// <summary>An "until" filter: a Unix time, an RFC 3339 time, or a duration before now such as 10m or 24h.</summary>
    public static DateTimeOffset ParseUntil(string text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)) return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        var match = Regex.Match(text, @"^(\d+)(s|m|h)$");
        if (match.Success)
        {
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return DateTimeOffset.UtcNow - match.Groups[2].Value switch { "s" => TimeSpan.FromSeconds(n), "m" => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) };
        }
        throw ApiException.BadRequest($"invalid until filter '{text}'");
    }
}
