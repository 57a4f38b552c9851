using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;
using PSContainer.Engine;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Oci;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.References;
using PSContainer.Engine.Storage;

namespace PSContainer.Api.Endpoints;

/// <summary>Images: list, inspect, history, pull, push, tag, remove, save, load, prune; search and build refused cleanly.</summary>
internal static class ImageEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/images/json", List);
        app.MapPost("/images/create", Create);
        app.MapGet("/images/search", _ => throw ApiException.NotImplemented("image search is not supported by PSContainer: registries on these hosts are reached by name"));
        app.MapPost("/images/load", Load);
        app.MapGet("/images/get", Save);
        app.MapPost("/images/prune", Prune);
        app.MapPost("/build", _ => throw ApiException.NotImplemented("building images through the API is not available yet in PSContainer: use Build-Image"));
        app.MapPost("/build/prune", _ => throw ApiException.NotImplemented("PSContainer keeps no build cache to prune through the API yet"));
        // Image names contain slashes: the operation is the last segment.
        app.MapGet("/images/{**name}", ByName);
        app.MapPost("/images/{**name}", ByName);
        app.MapDelete("/images/{**name}", Remove);
    }

    private static Task ByName(HttpContext context)
    {
        var path = Engines.Route(context, "name");
        var method = context.Request.Method;
        foreach (var (suffix, verb, handler) in new (string, string, Func<HttpContext, string, Task>)[]
        {
            ("/json", "GET", Inspect), ("/history", "GET", History), ("/get", "GET", SaveOne), ("/push", "POST", Push), ("/tag", "POST", Tag),
        })
            if (verb == method && path.EndsWith(suffix, StringComparison.Ordinal) && path.Length > suffix.Length)
                return handler(context, path[..^suffix.Length]);
        throw ApiException.NotFound($"page not found: {method} /images/{path}");
    }

    private static ImageRecord Resolve(ContainerEngine engine, string name)
    {
        try
        {
            return engine.Images.Resolve(name);
        }
        catch (EngineException ex) when (ex.Kind is EngineErrorKind.NotFound or EngineErrorKind.InvalidArgument)
        {
            throw ApiException.NotFound($"No such image: {name}");
        }
    }

    private static async Task List(HttpContext context)
    {
        var engine = Engines.Of(context);
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "dangling", "label", "reference", "before", "since");
        var all = await Engines.Run(() => (Images: engine.Images.List(), Containers: engine.Containers.Store.List()));
        var images = all.Images.GroupBy(i => i.Id).Select(g => (Id: g.Key, Info: g.First(), Tags: g.SelectMany(i => i.RepoTags).Distinct().ToList()));
        if (filters.TryGetValue("dangling", out var dangling) && dangling.Count > 0)
            images = images.Where(i => (i.Tags.Count == 0) == (dangling[0] == "true" || dangling[0] == "1"));
        if (filters.TryGetValue("label", out var labels))
            images = images.Where(i => Query.LabelsMatch(i.Info.Labels, labels));
        if (filters.TryGetValue("reference", out var references))
            images = images.Where(i => i.Tags.Any(t => references.Any(r => ReferenceMatches(t, r))));
        await Json.Write(context, images.Select(i => new
        {
            Id = i.Id,
            ParentId = "",
            RepoTags = i.Tags.Select(Familiar).ToArray(),
            RepoDigests = i.Info.RepoDigests.ToArray(),
            Created = i.Info.Created.ToUnixTimeSeconds(),
            Size = i.Info.Size,
            SharedSize = -1,
            VirtualSize = i.Info.Size,
            Labels = i.Info.Labels,
            Containers = all.Containers.Count(c => c.ImageId == i.Id),
        }).ToList());
    }

    private static string Familiar(string reference) => ImageReference.TryParse(reference, out var parsed) ? parsed.FamiliarName : reference;

    // "busybox", "busybox:*", "*/busybox:latest": docker matches references as path patterns.
    private static bool ReferenceMatches(string tag, string pattern)
    {
        var familiar = Familiar(tag);
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$";
        bool Match(string text) => System.Text.RegularExpressions.Regex.IsMatch(text, regex);
        return Match(familiar) || Match(familiar.Split(':')[0]) || Match(tag);
    }

    private static async Task Inspect(HttpContext context, string name)
    {
        var engine = Engines.Of(context);
        var (image, info, config) = await Engines.Run(() =>
        {
            var record = Resolve(engine, name);
            return (record, engine.Images.Describe(record), engine.ImageStore.Config(record));
        });
        await Json.Write(context, new
        {
            Id = image.Id,
            RepoTags = info.RepoTags.Select(Familiar).ToArray(),
            RepoDigests = info.RepoDigests.ToArray(),
            Parent = "",
            Comment = "",
            Created = ContainerViews.Time(info.Created),
            DockerVersion = "",
            Author = config.Author ?? "",
            Config = new
            {
                User = config.Config?.User ?? "",
                ExposedPorts = config.Config?.ExposedPorts,
                Env = config.Config?.Env,
                Cmd = config.Config?.Cmd,
                Entrypoint = config.Config?.Entrypoint,
                Volumes = config.Config?.Volumes,
                WorkingDir = config.Config?.WorkingDir ?? "",
                Labels = config.Config?.Labels,
                StopSignal = config.Config?.StopSignal,
            },
            Architecture = config.Architecture,
            Variant = config.Variant,
            Os = config.Os,
            Size = info.Size,
            VirtualSize = info.Size,
            GraphDriver = new { Name = "overlay", Data = (object?)null },
            RootFS = new { Type = "layers", Layers = config.RootFs.DiffIds },
            Metadata = new { LastTagTime = "0001-01-01T00:00:00Z" },
        });
    }

    private static async Task History(HttpContext context, string name)
    {
        var engine = Engines.Of(context);
        var (image, config) = await Engines.Run(() =>
        {
            var record = Resolve(engine, name);
            return (record, engine.ImageStore.Config(record));
        });
        var layers = new Queue<ImageLayer>(image.Layers);
        var entries = new List<HistoryEntry>();
        var history = config.History is { Count: > 0 } h ? h : image.Layers.Select(_ => new OciHistory()).ToList();
        foreach (var step in history)
        {
            var size = step.EmptyLayer == true || layers.Count == 0 ? 0 : layers.Dequeue().Size;
            entries.Add(new HistoryEntry("<missing>", (step.Created ?? config.Created ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds(),
                step.CreatedBy ?? "", [], size, step.Comment ?? ""));
        }
        entries.Reverse();
        if (entries.Count > 0)
            entries[0] = entries[0] with { Id = image.Id, Tags = engine.Images.Describe(image).RepoTags.Select(Familiar).ToArray() };
        await Json.Write(context, entries);
    }

    private sealed record HistoryEntry(string Id, long Created, string CreatedBy, string[] Tags, long Size, string Comment);

    private static async Task Create(HttpContext context)
    {
        if (Query.String(context, "fromSrc") is not null)
            throw ApiException.NotImplemented("importing a root filesystem through the API is not supported by PSContainer yet: use Import-Image");
        var fromImage = Query.String(context, "fromImage") ?? throw ApiException.BadRequest("fromImage is required");
        var tag = Query.String(context, "tag");
        var name = tag is null ? fromImage : tag.StartsWith("sha256:", StringComparison.Ordinal) ? fromImage + "@" + tag : fromImage + ":" + tag;
        if (!ImageReference.TryParse(name, out var reference)) throw ApiException.BadRequest($"invalid reference format: {name}");
        var platformText = Query.String(context, "platform");
        var platform = platformText is null ? null : PSContainer.Engine.Registry.Platform.Parse(platformText);
        var options = RegistryAuthHeader.Options(context);
        var engine = Engines.Of(context);
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await Json.WriteLine(context, new { status = $"Pulling from {reference.FamiliarName.Split(':', '@')[0]}", id = reference.Tag ?? reference.Digest?.ToString() });
        var reports = Channel.CreateUnbounded<PullProgress>();
        var pull = Task.Run(async () =>
        {
            try
            {
                return await engine.ImagePuller.PullAsync(reference, options, platform, p => reports.Writer.TryWrite(p), context.RequestAborted);
            }
            finally
            {
                reports.Writer.TryComplete();
            }
        });
        await foreach (var report in reports.Reader.ReadAllAsync(context.RequestAborted))
        {
            var id = report.Digest.Length > 19 ? report.Digest[7..19] : report.Digest;
            if (report.BytesTotal > 0 && report.Status is not ("Pull complete" or "Already exists"))
                await Json.WriteLine(context, new { status = report.Status, progressDetail = new { current = report.BytesDone, total = report.BytesTotal }, id });
            else
                await Json.WriteLine(context, new { status = report.Status, progressDetail = new { }, id });
        }
        try
        {
            var image = await pull;
            if (image.ManifestDigest is { } digest) await Json.WriteLine(context, new { status = $"Digest: {digest}" });
            await Json.WriteLine(context, new { status = $"Status: Downloaded newer image for {reference.FamiliarName}" });
        }
        catch (EngineException ex)
        {
            // The status line has gone out: a failure is an error object in the stream, as dockerd sends it.
            await Json.WriteLine(context, new { errorDetail = new { message = ex.Message }, error = ex.Message });
        }
    }

    private static async Task Push(HttpContext context, string name)
    {
        var tag = Query.String(context, "tag");
        var source = tag is null ? name : name + ":" + tag;
        var engine = Engines.Of(context);
        await Engines.Run(() => Resolve(engine, source));
        var options = RegistryAuthHeader.Options(context);
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await Json.WriteLine(context, new { status = $"The push refers to repository [{ImageReference.Parse(source).Name}]" });
        var reports = Channel.CreateUnbounded<PushProgress>();
        var push = Task.Run(async () =>
        {
            try
            {
                return await engine.ImagePusher(options).PushAsync(source, null, p => reports.Writer.TryWrite(p), context.RequestAborted);
            }
            finally
            {
                reports.Writer.TryComplete();
            }
        });
        await foreach (var report in reports.Reader.ReadAllAsync(context.RequestAborted))
        {
            var id = report.Digest.Hex[..12];
            var status = report.Phase switch
            {
                PushPhase.Exists => "Layer already exists",
                PushPhase.Mounted => "Mounted from another repository",
                PushPhase.Uploaded => "Pushed",
                PushPhase.Compressing => "Preparing",
                _ => "Pushing",
            };
            await Json.WriteLine(context, report.Phase == PushPhase.Uploading && report.Total > 0
                ? new { status, progressDetail = (object)new { current = report.Bytes, total = report.Total }, id }
                : new { status, progressDetail = (object)new { }, id });
        }
        try
        {
            var result = await push;
            await Json.WriteLine(context, new { status = $"{result.Tag}: digest: {result.Digest} size: {result.Size}" });
            await Json.WriteLine(context, new { progressDetail = new { }, aux = new { Tag = result.Tag, Digest = result.Digest, Size = result.Size } });
        }
        catch (EngineException ex)
        {
            await Json.WriteLine(context, new { errorDetail = new { message = ex.Message }, error = ex.Message });
        }
    }

    private static async Task Tag(HttpContext context, string name)
    {
        var repo = Query.String(context, "repo") ?? throw ApiException.BadRequest("repo is required");
        var tag = Query.String(context, "tag") ?? ImageReference.DefaultTag;
        var engine = Engines.Of(context);
        await Engines.Run(() =>
        {
            var image = Resolve(engine, name);
            try
            {
                engine.Images.Tag(image, repo + ":" + tag);
            }
            catch (EngineException ex) when (ex.Kind == EngineErrorKind.InvalidArgument)
            {
                throw ApiException.BadRequest(ex.Message);
            }
        });
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static async Task Remove(HttpContext context)
    {
        var name = Engines.Route(context, "name");
        var force = Query.Bool(context, "force");
        var engine = Engines.Of(context);
        var (untagged, deleted) = await Engines.Run(() =>
        {
            Resolve(engine, name);
            return engine.Images.Remove(name, force);
        });
        var result = untagged.Select(t => (object)new { Untagged = t }).ToList();
        if (deleted is not null) result.Add(new { Deleted = deleted });
        await Json.Write(context, result);
    }

    private static async Task Prune(HttpContext context)
    {
        var filters = Query.Filters(context);
        Query.CheckFilters(filters, "dangling", "label", "until");
        var onlyDangling = !filters.TryGetValue("dangling", out var dangling) || dangling.Count == 0 || dangling[0] is "true" or "1";
        var engine = Engines.Of(context);
        var deleted = await Engines.RunLong(() =>
        {
            var removed = new List<object>();
            var used = engine.Containers.Store.List().Select(c => c.ImageId).ToHashSet();
            foreach (var group in engine.Images.List().GroupBy(i => i.Id))
            {
                var tagged = group.Any(i => i.RepoTags.Count > 0);
                if (used.Contains(group.Key) || (onlyDangling && tagged)) continue;
                if (filters.TryGetValue("label", out var labels) && !Query.LabelsMatch(group.First().Labels, labels)) continue;
                try
                {
                    var (untagged, id) = engine.Images.Remove(group.Key, force: true);
                    removed.AddRange(untagged.Select(t => (object)new { Untagged = t }));
                    if (id is not null) removed.Add(new { Deleted = id });
                }
                catch (EngineException)
                {
                    // Taken into use meanwhile.
                }
            }
            return removed;
        });
        await Json.Write(context, new { ImagesDeleted = deleted, SpaceReclaimed = 0L });
    }

    private static Task SaveOne(HttpContext context, string name) => SaveImages(context, [name]);

    private static Task Save(HttpContext context) =>
        SaveImages(context, context.Request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList());

    private static async Task SaveImages(HttpContext context, List<string> names)
    {
        if (names.Count == 0) throw ApiException.BadRequest("name the images to save");
        var engine = Engines.Of(context);
        var file = Path.Combine(engine.Layout.TempDir, TempName.For("save"));
        try
        {
            await Engines.RunLong(() =>
            {
                var images = new List<ImageToExport>();
                foreach (var name in names)
                {
                    var image = Resolve(engine, name);
                    var tag = ImageReference.TryParse(name, out var parsed) && !name.StartsWith("sha256:", StringComparison.Ordinal) && !Digest.TryParse(name, out _) && parsed.Digest is null
                        ? parsed.FullName : null;
                    var index = images.FindIndex(i => i.Image.Id == image.Id);
                    if (index < 0) images.Add(new ImageToExport(image, tag is null ? [] : [tag]));
                    else if (tag is not null) images[index] = images[index] with { Tags = [.. images[index].Tags, tag] };
                }
                engine.ImageExporter.Export(images, file, ImageArchiveFormat.DockerArchive, null, null, context.RequestAborted);
            });
            context.Response.ContentType = "application/x-tar";
            await using var tar = File.OpenRead(file);
            await tar.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task Load(HttpContext context)
    {
        var engine = Engines.Of(context);
        var quiet = Query.Bool(context, "quiet");
        var options = context.RequestServices.GetRequiredService<ServerOptions>();
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = options.MaxUploadBytes;
        // The importer reads an archive more than once: it is spooled to the store's temporary directory first.
        var file = Path.Combine(engine.Layout.TempDir, TempName.For("load"));
        try
        {
            await using (var spool = File.Create(file))
                await context.Request.Body.CopyToAsync(spool, context.RequestAborted);
            var images = await Engines.RunLong(() => engine.ArchiveImporter.Import(() => File.OpenRead(file), [], [], null, null, context.RequestAborted)
                .Select(i => engine.Images.Describe(i.Image, i.Tag)).ToList());
            context.Response.ContentType = "application/json";
            foreach (var image in images)
                await Json.WriteLine(context, new { stream = image.RepoTags.Count > 0 ? $"Loaded image: {Familiar(image.RepoTags[0])}\n" : $"Loaded image ID: {image.Id}\n" });
        }
        finally
        {
            File.Delete(file);
        }
    }
}
