using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace PSContainer.Api;

/// <summary>
/// The hijacked connection of attach and exec start. Clients ask with <c>Connection: Upgrade</c> and
/// <c>Upgrade: tcp</c>; the answer is <c>101 UPGRADED</c> and the connection then carries the raw streams both
/// ways. Kestrel upgrades only requests without a body, and exec start has one (its JSON options): once that
/// body is read, the connection itself is taken and answered directly, and it is closed when the exec ends.
/// A client that does not ask for the upgrade gets a 200 whose body is the output stream, its request body
/// being the input.
/// A hijacked client closes its writing half when it has no input to send, which Kestrel reports as a closed
/// connection (see <see cref="HalfClose"/>); so the returned token ends the work only for a plain request, and
/// a hijacked stream ends when writing to its client fails.
/// </summary>
internal static class Hijack
{
    private const string TakenKey = "hijack-taken";

    public static async Task<(Stream Input, Stream Output, CancellationToken Cancel)> Take(HttpContext context, string contentType)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var halfClose = context.Features.Get<HalfClose>();
        context.Response.Headers.ContentType = contentType;
        if (upgrade is { IsUpgradableRequest: true })
        {
            context.Response.Headers.Upgrade = "tcp";
            if (halfClose is not null) halfClose.Hijacked = true;
            var stream = await upgrade.UpgradeAsync();
            return (stream, stream, CancellationToken.None);
        }
        var asked = context.Request.Headers.Upgrade.ToString().Equals("tcp", StringComparison.OrdinalIgnoreCase);
        if (asked && context.Features.Get<IConnectionTransportFeature>()?.Transport is { } transport)
        {
            // The request body has been read to its end: what follows on the connection is the client's stdin.
            if (halfClose is not null) halfClose.Hijacked = true;
            context.Items[TakenKey] = true;
            var head = new StringBuilder("HTTP/1.1 101 UPGRADED\r\n")
                .Append("Content-Type: ").Append(contentType).Append("\r\n")
                .Append("Connection: Upgrade\r\nUpgrade: tcp\r\n")
                .Append("Api-Version: ").Append(ApiVersion.MaximumText).Append("\r\n\r\n");
            await transport.Output.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            return (transport.Input.AsStream(leaveOpen: true), transport.Output.AsStream(leaveOpen: true), CancellationToken.None);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        return (context.Request.Body, context.Response.Body, context.RequestAborted);
    }

    /// <summary>Ends a hijacked exchange: a connection taken directly is closed, so Kestrel writes no response of its own.</summary>
    public static void End(HttpContext context)
    {
        if (context.Items.ContainsKey(TakenKey)) context.Abort();
    }
}
