using System.Text.Json.Nodes;

namespace PSContainer.Engine.Networks;

/// <summary>
/// Container endpoints. The engine is the CNI runtime: a container on networks gets a persistent network
/// namespace before it starts and one CNI attachment per network (eth0, eth1, …); when it stops, every
/// attachment is deleted with its cached result, then the namespace, and a bridge nobody uses any more.
/// Requests name a container by id only; the results are endpoints, which the caller records. The caller holds
/// the store lock.
/// </summary>
internal sealed class NetworkAttacher
{
    private static readonly JsonObject LoopbackPlugin = new() { ["cniVersion"] = CniConfig.Version, ["name"] = "loopback", ["type"] = "loopback" };

    private readonly NetworkManager _networks;
    private readonly CniExecutor _cni = new();

    public NetworkAttacher(NetworkManager networks) => _networks = networks;

    /// <summary>
    /// Gives a starting container a fresh namespace with loopback up and one attachment per wanted endpoint, in
    /// order (eth0, eth1, …), <paramref name="ports"/> published on the first. Returns the run's networking; on
    /// failure everything done is undone.
    /// </summary>
    public ContainerNetwork Attach(string containerId, IReadOnlyList<NetworkEndpoint> wanted, IReadOnlyList<PortMapping> ports)
    {
        var run = new ContainerNetwork { Namespace = NetNamespace.NameFor(containerId) };
        try
        {
            using var hostLock = HostNetworkLock.Acquire();
            run.SandboxPath = NetNamespace.Create(run.Namespace);
            // A namespace made by ip netns has its loopback down; the runtime only raises it in namespaces it makes.
            _cni.AddSingle(LoopbackPlugin, new CniAttachment { ContainerId = containerId, IfName = "lo", NetNs = run.SandboxPath });
            for (var i = 0; i < wanted.Count; i++)
                run.Endpoints.Add(AttachEndpoint(containerId, run.SandboxPath, wanted[i], "eth" + i, i == 0 ? ports : []));
            run.Ports = ports.ToList();
            return run;
        }
        catch
        {
            Detach(containerId);
            throw;
        }
    }

    /// <summary>Attaches a running container to one more network on <paramref name="ifName"/>; undone on failure.</summary>
    public NetworkEndpoint Connect(string containerId, string sandboxPath, NetworkEndpoint wanted, string ifName)
    {
        try
        {
            using var hostLock = HostNetworkLock.Acquire();
            return AttachEndpoint(containerId, sandboxPath, wanted, ifName, []);
        }
        catch
        {
            foreach (var attachment in _networks.Store.Attachments(containerId).Where(a => a.IfName == ifName))
                TryDelete(attachment, new Deleted());
            throw;
        }
    }

    /// <summary>
    /// Takes a running container's interface <paramref name="ifName"/> off its network; returns whether ports were
    /// published through it (they went with it).
    /// </summary>
    public bool Disconnect(string containerId, string ifName)
    {
        var deleted = new Deleted();
        var hadPorts = false;
        foreach (var attachment in _networks.Store.Attachments(containerId).Where(a => a.IfName == ifName))
        {
            ContainerRules.Remove(attachment.HostRules ?? [], containerId, ifName);
            _cni.Delete(attachment);
            _networks.Store.DeleteAttachment(attachment);
            deleted.Add(attachment);
            hadPorts |= attachment.CapabilityArgs is not null;
        }
        DeleteUnusedBridges(deleted);
        return hadPorts;
    }

    /// <summary>
    /// Takes a container off its networks: DEL for every cached attachment (last interface first), then the
    /// namespace, then bridges left without ports. Safe to repeat. A DEL that fails keeps its cached attachment,
    /// so <see cref="Repair"/> tries again on a later call.
    /// </summary>
    public void Detach(string containerId)
    {
        var deleted = new Deleted();
        foreach (var attachment in _networks.Store.Attachments(containerId))
            TryDelete(attachment, deleted);
        TryDeleteNamespace(containerId);
        DeleteUnusedBridges(deleted);
    }

    /// <summary>
    /// Finishes teardowns a crash interrupted: the attachments of every container <paramref name="isLive"/> does not
    /// keep (those that no longer exist included), and the namespaces of <paramref name="stopped"/>, are deleted.
    /// </summary>
    public void Repair(Func<string, bool> isLive, IEnumerable<string> stopped)
    {
        var deleted = new Deleted();
        foreach (var attachment in _networks.Store.AttachmentsExcept(isLive))
            TryDelete(attachment, deleted);
        foreach (var id in stopped)
            TryDeleteNamespace(id);
        DeleteUnusedBridges(deleted);
    }

    private NetworkEndpoint AttachEndpoint(string containerId, string sandboxPath, NetworkEndpoint wanted, string ifName, IReadOnlyList<PortMapping> ports)
    {
        var network = _networks.Resolve(wanted.Network);
        var (config, masquerade) = CniConfig.ForAttachment(network.Config, ports.Count > 0);
        var attachment = new CniAttachment
        {
            Network = network.Name,
            ContainerId = containerId,
            IfName = ifName,
            NetNs = sandboxPath,
            Config = config,
            CapabilityArgs = CniConfig.PortMappingArgs(ports),
        };
        // Cached before ADD: should ADD fail half-way or the process die, DEL still knows what to undo.
        _networks.Store.SaveAttachment(attachment);
        var result = _cni.Add(attachment, partial =>
        {
            attachment.Result = partial;
            _networks.Store.SaveAttachment(attachment);
        });
        var parsed = CniResult.Parse(result);
        var address = parsed.Address(ifName);
        if (address is not null && BridgeOf(config) is { } bridge)
        {
            // Recorded before they are added, as the ADD was: DEL removes whatever of them exists.
            attachment.HostRules = ContainerRules.For(containerId, ifName, address.Ip, bridge, masquerade);
            _networks.Store.SaveAttachment(attachment);
            ContainerRules.Add(attachment.HostRules);
        }
        return new NetworkEndpoint
        {
            Network = wanted.Network,
            Aliases = wanted.Aliases.ToList(),
            Interface = ifName,
            IPAddress = address?.Ip,
            PrefixLength = address?.PrefixLength ?? 0,
            Gateway = address?.Gateway,
            MacAddress = parsed.ContainerInterface(ifName)?.Mac,
        };
    }

    private void TryDelete(CniAttachment attachment, Deleted deleted)
    {
        try
        {
            ContainerRules.Remove(attachment.HostRules ?? [], attachment.ContainerId, attachment.IfName);
            _cni.Delete(attachment);
            _networks.Store.DeleteAttachment(attachment);
            deleted.Add(attachment);
        }
        catch (EngineException)
        {
            // Kept in the cache: the next engine call repeats the DEL.
        }
    }

    private static void TryDeleteNamespace(string containerId)
    {
        try
        {
            NetNamespace.Delete(NetNamespace.NameFor(containerId));
        }
        catch (EngineException)
        {
            // Still there: the next engine call tries again.
        }
    }

    /// <summary>
    /// Deletes the bridges without ports; once one goes, the shared iptables chains of the plugins that ran
    /// (portmap, or the firewall plugin of attachments made before the engine added its own rules) may be unused too.
    /// </summary>
    private static void DeleteUnusedBridges(Deleted attachments)
    {
        var checkChains = false;
        foreach (var bridge in attachments.Bridges.Where(BridgeLinks.IsUnused))
        {
            try
            {
                BridgeLinks.Delete(bridge);
                checkChains = attachments.RanChainPlugins;
            }
            catch (EngineException)
            {
                // Still there; the next teardown that finds it unused tries again.
            }
        }
        if (checkChains) HostNetworkLock.RemoveUnusedScaffolding();
    }

    /// <summary>What the DELs of one teardown touched.</summary>
    private sealed class Deleted
    {
        public HashSet<string> Bridges { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether a plugin that keeps shared iptables chains ran for one of them.</summary>
        public bool RanChainPlugins { get; private set; }

        public void Add(CniAttachment attachment)
        {
            if (BridgeOf(attachment.Config) is { } bridge) Bridges.Add(bridge);
            RanChainPlugins |= (attachment.Config["plugins"] as JsonArray)?.OfType<JsonObject>().Any(p => (string?)p["type"] is "portmap" or "firewall") ?? false;
        }
    }

    private static string? BridgeOf(JsonObject config) =>
        (config["plugins"] as JsonArray)?.OfType<JsonObject>().Where(p => (string?)p["type"] == "bridge").Select(p => (string?)p["bridge"]).FirstOrDefault();
}
