using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Oci;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Storage;

namespace PSContainer.Api.Endpoints;

/// <summary>
/// <c>/containers/{id}/archive</c> (docker cp): HEAD stats a path, GET sends it as a tar, PUT unpacks a tar into a
/// directory. Paths resolve inside the container's own view (its root and mounts), so neither the path nor a
/// name in the tar can reach outside it: the tar is unpacked into a private directory of the store first, refusing
/// entries that leave it, and the engine's copy places the result.
/// </summary>
internal static class ArchiveEndpoints
{
    private const string StatHeader = "X-Docker-Container-Path-Stat";

    public static void Map(WebApplication app)
    {
        app.MapMethods("/containers/{id}/archive", ["HEAD"], Head);
        app.MapGet("/containers/{id}/archive", Get);
        app.MapPut("/containers/{id}/archive", Put);
    }

    private static string PathOf(HttpContext context) =>
        Query.String(context, "path") is { } path ? path.StartsWith('/') ? path : "/" + path : throw ApiException.BadRequest("path is required");

    private static async Task<ContainerPathStat> Stat(ContainerEngine engine, string id, string path)
    {
        var record = await Engines.Run(() => ContainerEndpoints.Find(engine, id));
        return await Engines.Run(() => engine.Files.Stat(record.Id, path))
            ?? throw ApiException.NotFound($"Could not find the file {path} in container {record.Name}");
    }

    private static async Task Head(HttpContext context)
    {
        var engine = Engines.Of(context);
        var stat = await Stat(engine, Engines.Route(context, "id"), PathOf(context));
        context.Response.Headers[StatHeader] = Encode(stat);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task Get(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var path = PathOf(context);
        var stat = await Stat(engine, id, path);
        var work = Path.Combine(engine.Layout.TempDir, TempName.For("archive"));
        Directory.CreateDirectory(work);
        try
        {
            // Copied out by the engine (inside the container's view), then packed from the private copy.
            await Engines.RunLong(() => engine.Files.CopyOut(id, path, work + "/", followLink: false, context.RequestAborted));
            context.Response.Headers[StatHeader] = Encode(stat);
            context.Response.ContentType = "application/x-tar";
            await TarFile.CreateFromDirectoryAsync(work, context.Response.Body, includeBaseDirectory: false, context.RequestAborted);
        }
        finally
        {
            DirectoryTree.Delete(work);
        }
    }

    private static async Task Put(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var path = PathOf(context);
        var options = context.RequestServices.GetRequiredService<ServerOptions>();
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = options.MaxUploadBytes;
        var stat = await Stat(engine, id, path);
        if (!stat.IsDirectory) throw ApiException.BadRequest($"extraction point is not a directory: {path}");
        var work = Path.Combine(engine.Layout.TempDir, TempName.For("archive"));
        Directory.CreateDirectory(work);
        try
        {
            try
            {
                await SafeTarExtractor.ExtractAsync(context.Request.Body, work, context.RequestAborted);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
            {
                throw ApiException.BadRequest($"cannot unpack the archive: {ex.Message}");
            }
            await Engines.RunLong(() => engine.Files.CopyIn(id, work + "/.", path, followLink: false, context.RequestAborted));
        }
        finally
        {
            DirectoryTree.Delete(work);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static string Encode(ContainerPathStat stat)
    {
        var json = JsonSerializer.Serialize(new
        {
            name = stat.Name,
            size = stat.Size,
            mode = GoFileMode(stat.Mode),
            mtime = stat.Modified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            linkTarget = stat.LinkTarget,
        }, Json.Options);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    // Go's os.FileMode, which the docker CLI decodes: permission bits plus type bits of its own.
    private static uint GoFileMode(uint mode)
    {
        var result = mode & 0x1FF;
        if ((mode & 0x800) != 0) result |= 1u << 23; // setuid
        if ((mode & 0x400) != 0) result |= 1u << 22; // setgid
        if ((mode & 0x200) != 0) result |= 1u << 20; // sticky
        result |= (mode & 0xF000) switch
        {
            0x4000 => 1u << 31, // directory
            0xA000 => 1u << 27, // symlink
            0x1000 => 1u << 25, // named pipe
            0xC000 => 1u << 24, // socket
            0x6000 => 1u << 26, // block device
            0x2000 => (1u << 26) | (1u << 21), // character device
            _ => 0u,
        };
        return result;
    }
}
