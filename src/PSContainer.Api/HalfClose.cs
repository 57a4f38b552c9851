using Microsoft.AspNetCore.Connections;

namespace PSContainer.Api;

/// <summary>
/// Lets a hijacked connection live on after the client closes its writing half, as docker clients do at once
/// when they have no stdin to send (Go's CloseWrite). Kestrel ends a connection when its input ends; this
/// connection middleware gives Kestrel a "connection closed" signal of its own, passed on unless the request
/// has hijacked the connection. The hijacked stream still reads the end of the input as the end of stdin, and
/// ends when writing to the client fails.
/// </summary>
internal sealed class HalfClose
{
    /// <summary>Set by a request that takes over its connection (attach, exec start).</summary>
    public volatile bool Hijacked;

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        var state = new HalfClose();
        connection.Features.Set(state);
        var transportClosed = connection.ConnectionClosed;
        using var closed = new CancellationTokenSource();
        connection.ConnectionClosed = closed.Token;
        using var relay = transportClosed.Register(() =>
        {
            if (!state.Hijacked) closed.Cancel();
        });
        await next(connection);
    };
}
