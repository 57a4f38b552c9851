using PSContainer.Engine;

namespace PSContainer.Api.Endpoints;

/// <summary>The engine from the request's services, and blocking engine work moved off Kestrel's threads.</summary>
internal static class Engines
{
    public static ContainerEngine Of(HttpContext context) => context.RequestServices.GetRequiredService<ContainerEngine>();

    /// <summary>Runs a short blocking engine call (engine calls take flocks and wait on processes) on the thread pool.</summary>
    public static Task<T> Run<T>(Func<T> work) => Task.Run(work);

    public static Task Run(Action work) => Task.Run(work);

    /// <summary>Runs engine work that may block for long (waits, followed logs) on a thread of its own.</summary>
    public static Task<T> RunLong<T>(Func<T> work) => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static Task RunLong(Action work) => Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static string Route(HttpContext context, string name) =>
        context.Request.RouteValues[name] as string ?? throw ApiException.BadRequest($"missing {name}");
}
