using Microsoft.AspNetCore.Http.Features;

namespace PSContainer.Api;

/// <summary>
/// The hijacked connection of attach and exec start. Clients ask with <c>Connection: Upgrade</c> and
/// <c>Upgrade: tcp</c>; the answer is <c>101 UPGRADED</c> and the connection then carries the raw streams both
/// ways. A client that does not ask for the upgrade gets a 200 whose body is the output stream, its request
/// body being the input. A hijacked client closes its writing half when it has no input to send, which
/// Kestrel reports as an aborted request; so the returned token ends the work only for a plain request, and a
/// hijacked stream ends when writing to its client fails.
/// </summary>
internal static class Hijack
{
    public static async Task<(Stream Input, Stream Output, CancellationToken Cancel)> Take(HttpContext context, string contentType)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        context.Response.Headers.ContentType = contentType;
        if (upgrade is { IsUpgradableRequest: true })
        {
            context.Response.Headers.Upgrade = "tcp";
            if (context.Features.Get<HalfClose>() is { } halfClose) halfClose.Hijacked = true;
            var stream = await upgrade.UpgradeAsync();
            return (stream, stream, CancellationToken.None);
        }
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        return (context.Request.Body, context.Response.Body, context.RequestAborted);
    }
}
