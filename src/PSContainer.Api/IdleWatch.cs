namespace PSContainer.Api;

/// <summary>
/// Ends the server after it has had no request for the idle timeout: it costs nothing while nobody uses it,
/// and the next Start-ContainerApiServer (or socket activation) brings it back. Requests in flight, streams
/// and hijacked connections included, keep it alive.
/// </summary>
internal sealed class IdleWatch(TimeSpan? timeout, IHostApplicationLifetime lifetime)
{
    private int _active;
    private long _lastTicks = Environment.TickCount64;

    public async Task Track(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _active);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Exchange(ref _lastTicks, Environment.TickCount64);
            Interlocked.Decrement(ref _active);
        }
    }

    public void Start()
    {
        if (timeout is not { } idle) return;
        _ = Task.Run(async () =>
        {
            var period = TimeSpan.FromSeconds(Math.Clamp(idle.TotalSeconds / 4, 0.25, 5));
            using var timer = new PeriodicTimer(period);
            while (await timer.WaitForNextTickAsync(lifetime.ApplicationStopping))
            {
                if (Volatile.Read(ref _active) == 0 && Environment.TickCount64 - Interlocked.Read(ref _lastTicks) >= idle.TotalMilliseconds)
                {
                    lifetime.StopApplication();
                    return;
                }
            }
        });
    }
}
