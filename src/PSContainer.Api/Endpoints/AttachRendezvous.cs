using System.Collections.Concurrent;
using PSContainer.Engine.Containers;

namespace PSContainer.Api.Endpoints;

/// <summary>
/// Where an attach that came before the start (as <c>docker run</c> does it: attach, then start) meets the
/// start: the start connects each waiting client to conmon's attach socket after conmon has created the
/// container and before its process runs, so not a byte of output is missed.
/// </summary>
internal sealed class AttachRendezvous
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<TaskCompletionSource<ConsoleAttachment>>> _waiting = new(StringComparer.Ordinal);

    /// <summary>Registers a client for the next start of container <paramref name="id"/>.</summary>
    public TaskCompletionSource<ConsoleAttachment> Expect(string id)
    {
        var waiter = new TaskCompletionSource<ConsoleAttachment>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.GetOrAdd(id, _ => new()).Add(waiter);
        return waiter;
    }

    /// <summary>Called by a start once conmon holds the created container.</summary>
    public void Started(string id, ContainerPaths paths)
    {
        if (!_waiting.TryRemove(id, out var waiters)) return;
        foreach (var waiter in waiters)
        {
            if (waiter.Task.IsCompleted) continue;
            try
            {
                var console = ConsoleAttachment.Connect(paths.Dir);
                if (!waiter.TrySetResult(console)) console.Dispose();
            }
            catch (Exception ex)
            {
                waiter.TrySetException(ex);
            }
        }
    }
}
