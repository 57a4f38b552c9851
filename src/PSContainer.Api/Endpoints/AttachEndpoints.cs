using System.Globalization;
using System.Text;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Api.Endpoints;

/// <summary><c>POST /containers/{id}/attach</c> (hijacked) and <c>/resize</c>.</summary>
internal static class AttachEndpoints
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static void Map(WebApplication app)
    {
        app.MapPost("/containers/{id}/attach", Attach);
        app.MapPost("/containers/{id}/resize", Resize);
    }

    private static async Task Attach(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var wantStdin = Query.Bool(context, "stdin");
        var wantStdout = Query.Bool(context, "stdout");
        var wantStderr = Query.Bool(context, "stderr");
        var stream = Query.Bool(context, "stream");
        var logs = Query.Bool(context, "logs");
        var record = await Engines.Run(() => ContainerEndpoints.Find(engine, id));
        var rendezvous = context.RequestServices.GetRequiredService<AttachRendezvous>();
        // Registered before the answer goes out, so a start that follows it at once is not missed.
        var waiter = stream && record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused) ? rendezvous.Expect(record.Id) : null;

        var raw = record.Settings.Tty;
        var (input, outputStream, cancel) = await Hijack.Take(context, MultiplexedStream.ContentType(raw));
        var output = new MultiplexedStream(outputStream, raw);
        try
        {
            if (logs)
                foreach (var entry in ContainerLog.Read(engine.Containers.Store.PathsOf(record.Id).Log, follow: false, () => false, cancel))
                    if (entry.IsError ? wantStderr : wantStdout)
                        await output.WriteAsync(entry.IsError ? MultiplexedStream.Stderr : MultiplexedStream.Stdout, Encoding.UTF8.GetBytes(entry.Text + "\n"), cancel);
            if (!stream) return;
            using var console = await Connect(engine, record.Id, waiter, cancel);
            if (console is null) return;
            await console.RelayAsync(wantStdin && record.Settings.Interactive ? input : null, (isError, data, token) =>
                (isError ? wantStderr : wantStdout) ? output.WriteAsync(isError ? MultiplexedStream.Stderr : MultiplexedStream.Stdout, data, token) : Task.CompletedTask, cancel);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // The client hung up.
        }
        finally
        {
            waiter?.TrySetCanceled();
            try { await outputStream.FlushAsync(CancellationToken.None).ConfigureAwait(false); } catch (IOException) { }
            Hijack.End(context);
        }
    }

    // A running container is joined now; otherwise the client waits for its start — through this server's
    // start (the rendezvous) or another's, noticed by polling — or for its removal.
    private static async Task<ConsoleAttachment?> Connect(ContainerEngine engine, string id, TaskCompletionSource<ConsoleAttachment>? waiter, CancellationToken cancel)
    {
        if (waiter is null) return TryConnect(engine, id);
        while (!cancel.IsCancellationRequested)
        {
            var done = await Task.WhenAny(waiter.Task, Task.Delay(PollInterval, cancel));
            if (done == waiter.Task) return await waiter.Task;
            var current = engine.Containers.Store.Get(id);
            if (current is null) return null;
            if (current.State.Status is ContainerStatus.Running && waiter.TrySetCanceled()) return TryConnect(engine, id);
        }
        return null;
    }

    private static ConsoleAttachment? TryConnect(ContainerEngine engine, string id)
    {
        try
        {
            return ConsoleAttachment.Connect(engine.Containers.Store.PathsOf(id).Dir);
        }
        catch (EngineException)
        {
            // It exited meanwhile: nothing more to relay.
            return null;
        }
    }

    private static async Task Resize(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var (rows, columns) = Size(context);
        var record = await Engines.Run(() => ContainerEndpoints.Find(engine, id));
        if (record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            throw ApiException.Conflict($"container {record.Id} is not running");
        if (record.Settings.Tty) await Engines.Run(() => ConsoleAttachment.ResizeIn(engine.Containers.Store.PathsOf(record.Id).Dir, rows, columns));
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The h and w query parameters of a resize.</summary>
    public static (int Rows, int Columns) Size(HttpContext context)
    {
        var rows = Query.Long(context, "h") ?? throw ApiException.BadRequest("h is required");
        var columns = Query.Long(context, "w") ?? throw ApiException.BadRequest("w is required");
        if (rows is < 1 or > ushort.MaxValue || columns is < 1 or > ushort.MaxValue)
            throw ApiException.BadRequest("h and w must be between 1 and 65535");
        return ((int)rows, (int)columns);
    }
}
