using System.Globalization;
using System.Text;
using PSContainer.Engine.Containers;

namespace PSContainer.Api.Endpoints;

/// <summary><c>GET /containers/{id}/logs</c>: the container's log in the multiplexed stream format (raw with a tty).</summary>
internal static class ContainerLogs
{
    public static async Task Logs(HttpContext context)
    {
        var engine = Engines.Of(context);
        var id = Engines.Route(context, "id");
        var follow = Query.Bool(context, "follow");
        var stdout = Query.Bool(context, "stdout");
        var stderr = Query.Bool(context, "stderr");
        var timestamps = Query.Bool(context, "timestamps");
        var since = Query.Time(context, "since");
        var until = Query.Time(context, "until");
        var tailText = Query.String(context, "tail") ?? "all";
        int? tail = tailText == "all" ? null
            : int.TryParse(tailText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw ApiException.BadRequest($"invalid tail '{tailText}': a number or all");
        if (!stdout && !stderr) throw ApiException.BadRequest("you must choose at least one stream");

        var record = await Engines.Run(() => ContainerEndpoints.Find(engine, id));
        var path = engine.Containers.Store.PathsOf(record.Id).Log;
        var raw = record.Settings.Tty;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = MultiplexedStream.ContentType(raw);
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var output = new MultiplexedStream(context.Response.Body, raw);
        var cancel = context.RequestAborted;

        bool Wanted(ContainerLogEntry entry) =>
            (entry.IsError ? stderr : stdout) && (since is null || entry.Time >= since) && (until is null || entry.Time <= until);
        Func<bool> running = () => engine.Containers.IsRunning(record.Id);
        // The tail is counted over what the log holds now; a followed log then goes on from there.
        var skip = 0;
        if (tail is { } last)
        {
            var total = ContainerLog.Read(path, follow: false, () => false, cancel).Count(Wanted);
            skip = Math.Max(0, total - last);
        }
        var entries = System.Threading.Channels.Channel.CreateBounded<ContainerLogEntry>(256);
        var reader = Engines.RunLong(() =>
        {
            try
            {
                foreach (var entry in ContainerLog.Read(path, follow, running, cancel))
                {
                    if (until is { } end && entry.Time > end) break;
                    if (!Wanted(entry)) continue;
                    if (skip > 0) { skip--; continue; }
                    entries.Writer.WriteAsync(entry, cancel).AsTask().GetAwaiter().GetResult();
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                entries.Writer.TryComplete();
            }
        });
        await foreach (var entry in entries.Reader.ReadAllAsync(cancel))
        {
            var text = timestamps ? entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + " " + entry.Text : entry.Text;
            await output.WriteAsync(entry.IsError ? MultiplexedStream.Stderr : MultiplexedStream.Stdout, Encoding.UTF8.GetBytes(text + "\n"), cancel);
        }
        await reader;
    }
}
