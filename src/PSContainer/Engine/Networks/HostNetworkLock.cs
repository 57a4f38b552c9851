using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Networks;

/// <summary>
/// Serializes, across every store on the host, the ADDs that create the plugins' shared iptables chains with
/// the cleanup that removes them, so that no cleanup removes a chain between an ADD's creating and filling it.
/// </summary>
internal static class HostNetworkLock
{
    private const string LockFile = "/run/pscontainer-network.lock";

    /// <summary>Takes the host-wide lock; dispose to release it.</summary>
    public static StoreLock Acquire() => StoreLock.Acquire(LockFile);

    /// <summary>Removes the shared iptables chains once no container's rules are left in them.</summary>
    public static void RemoveUnusedScaffolding()
    {
        using var hostLock = Acquire();
        IptablesScaffolding.RemoveUnused();
    }
}
