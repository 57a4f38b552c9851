using System.Text.Json.Nodes;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Oci;

namespace PSContainer.Engine.Networks;

/// <summary>
/// Networks and container networking. The engine is the CNI runtime: each container on a network gets a
/// persistent network namespace before it starts, one CNI attachment per network (eth0, eth1, …) and its
/// /etc/hosts; when it stops, every attachment is deleted with its cached result, then the namespace, and a
/// bridge nobody uses any more. Everything runs under the store lock.
/// </summary>
internal sealed class NetworkManager
{
    /// <summary>The network containers join unless told otherwise.</summary>
    public const string DefaultNetwork = "bridge";

    /// <summary>The default network's subnet in the default store (Podman's too; another is chosen when the host routes it).</summary>
    private const string DefaultSubnet = "10.88.0.0/16";

    /// <summary>
    /// Serializes, across every store on the host, the ADDs that create the plugins' shared iptables chains with
    /// the cleanup that removes them, so that no cleanup removes a chain between an ADD's creating and filling it.
    /// </summary>
    private const string HostLockFile = "/run/pscontainer-network.lock";

    private static readonly JsonObject LoopbackPlugin = new() { ["cniVersion"] = CniConfig.Version, ["name"] = "loopback", ["type"] = "loopback" };

    private readonly StoreLayout _layout;
    private readonly ContainerStore _containers;
    private readonly Func<string, ContainerRecord> _findContainer;
    private readonly CniExecutor _cni = new();

    /// <param name="layout">The store's directories.</param>
    /// <param name="containers">The container records: endpoints and hosts files are still kept on them.</param>
    /// <param name="findContainer">Resolves a container name or id, bringing its record up to date.</param>
    public NetworkManager(StoreLayout layout, ContainerStore containers, Func<string, ContainerRecord> findContainer)
    {
        _layout = layout;
        _containers = containers;
        _findContainer = findContainer;
        Store = new NetworkStore(layout.NetworksDir);
    }

    /// <summary>The network files.</summary>
    public NetworkStore Store { get; }

    /// <summary>Every network, the default one included (it is made on first need).</summary>
    public List<NetworkInfo> List()
    {
        using var _ = _layout.Lock();
        EnsureDefault();
        var containers = _containers.List();
        return Store.List().Select(n => Describe(n, containers)).ToList();
    }

    /// <summary>One network by name, full id or unique id prefix.</summary>
    public NetworkInfo Get(string nameOrId)
    {
        using var _ = _layout.Lock();
        return Describe(Resolve(nameOrId), _containers.List());
    }

    /// <summary>Creates a bridge network; the subnet is chosen from free private space when none is given.</summary>
    public NetworkInfo Create(NetworkSpec spec)
    {
        NetworkNames.Validate(spec.Name);
        if (spec.Name == DefaultNetwork || NetworkNames.Reserved.Contains(spec.Name))
            throw new EngineException("NetworkNameReserved", EngineErrorKind.InvalidArgument, $"'{spec.Name}' is a predefined network or mode, not a name for a new network.", spec.Name);
        using var _ = _layout.Lock();
        if (File.Exists(Store.ConfigPath(spec.Name)))
            throw new EngineException("NetworkExists", EngineErrorKind.AlreadyExists, $"A network named '{spec.Name}' exists already.", spec.Name);
        var existing = Store.List();
        Ipv4Subnet subnet;
        if (spec.Subnet is { } requested)
        {
            subnet = Ipv4Subnet.Parse(requested);
            if (subnet.PrefixLength is < 8 or > 30)
                throw new EngineException("InvalidSubnet", EngineErrorKind.InvalidArgument, $"Subnet {subnet} must have a prefix length from 8 to 30.", requested);
            if (existing.FirstOrDefault(n => n.Subnet is { } s && Ipv4Subnet.Parse(s).Overlaps(subnet)) is { } clash)
                throw new EngineException("SubnetInUse", EngineErrorKind.AlreadyExists, $"Subnet {subnet} overlaps network '{clash.Name}' ({clash.Subnet}).", requested);
            if (HostRoutes.Read().FirstOrDefault(r => r.Overlaps(subnet)) is var route && route.PrefixLength > 0)
                throw new EngineException("SubnetInUse", EngineErrorKind.AlreadyExists, $"Subnet {subnet} overlaps {route}, which the host routes already.", requested);
        }
        else
        {
            subnet = SubnetAllocator.Pick(TakenSubnets(existing), Seed(spec.Name));
        }
        var gateway = Gateway(subnet, spec.Gateway);
        var config = CniConfig.BridgeNetwork(spec.Name, RecordId.New(), DateTimeOffset.UtcNow, BridgeNameFor(spec.Name), subnet, gateway,
            spec.Internal, spec.Labels, Store.IpamDir);
        Store.Write(spec.Name, config);
        return Describe(NetworkDefinition.FromConfig(config, spec.Name), []);
    }

    /// <summary>Removes a network no container uses, with its bridge and its lease directory.</summary>
    public void Remove(string nameOrId)
    {
        using var _ = _layout.Lock();
        var network = Resolve(nameOrId);
        if (network.Name == DefaultNetwork)
            throw new EngineException("NetworkPredefined", EngineErrorKind.InvalidState, $"'{DefaultNetwork}' is the predefined default network and cannot be removed.", network.Name);
        var users = _containers.List().Where(c => UsesNetwork(c, network.Name)).Select(c => c.Name).ToList();
        if (users.Count > 0)
            throw new EngineException("NetworkInUse", EngineErrorKind.InvalidState,
                $"Network '{network.Name}' is used by container(s) {string.Join(", ", users)}; remove them or disconnect them first.", network.Name);
        if (network.BridgeName is { } bridge && BridgeLinks.Exists(bridge))
        {
            BridgeLinks.Delete(bridge);
            RemoveUnusedScaffolding();
        }
        Store.Delete(network.Name);
    }

    /// <summary>
    /// Checks a new container's network settings and returns its networking: the endpoint of its network, or
    /// nothing for none, host and container modes. A container mode is pinned to the target's id, and host and
    /// container modes take their hostname from the host or the target, as Docker does.
    /// </summary>
    public ContainerNetwork Prepare(ContainerSettings settings)
    {
        var mode = NetworkMode.Parse(settings.Network);
        if ((settings.Ports.Count > 0 || settings.PublishAll) && mode.Kind != NetworkModeKind.Network)
            throw new EngineException("PortsNeedNetwork", EngineErrorKind.InvalidArgument, $"Ports can be published on bridge and user networks only, not with -Network {mode}.", mode.ToString());
        foreach (var port in settings.Ports.Where(p => p.HostIp.Length > 0 && !Ipv4Subnet.TryParseAddress(p.HostIp, out _)))
            throw new EngineException("InvalidPortMapping", EngineErrorKind.InvalidArgument, $"Host address {port.HostIp} is not IPv4: networks are IPv4 only.", port.ToString());
        if (settings.NetworkAliases.Count > 0 && !mode.IsUserNetwork)
            throw new EngineException("AliasNeedsUserNetwork", EngineErrorKind.InvalidArgument, "Network aliases work on user networks only (New-Network), as in Docker.", mode.ToString());
        settings.Network = mode.ToString();
        switch (mode.Kind)
        {
            case NetworkModeKind.Network:
                var network = Resolve(mode.Name);
                settings.Network = network.Name;
                return new ContainerNetwork { Endpoints = [new NetworkEndpoint { Network = network.Name, Aliases = settings.NetworkAliases.ToList() }] };
            case NetworkModeKind.Host:
                settings.Hostname ??= HostHostname();
                break;
            case NetworkModeKind.Container:
                if (settings.Hostname is not null)
                    throw new EngineException("HostnameConflict", EngineErrorKind.InvalidArgument, "A container that shares another container's network has that container's hostname; drop -Hostname.", settings.Hostname);
                var target = _findContainer(mode.Name);
                settings.Network = NetworkMode.ContainerPrefix + target.Id;
                settings.Hostname = target.Settings.Hostname ?? target.Id[..12];
                break;
        }
        return new ContainerNetwork();
    }

    /// <summary>
    /// Gives a starting container its network: for a network mode, a fresh namespace with loopback up and one
    /// attachment per network, ports published on the first; for container mode, the target's namespace.
    /// On failure everything done is undone.
    /// </summary>
    public void Attach(ContainerRecord record, OciRunConfig? image)
    {
        var mode = ModeOf(record);
        var net = record.Network;
        switch (mode.Kind)
        {
            case NetworkModeKind.Container:
                var target = _findContainer(mode.Name);
                if (target.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
                    throw new EngineException("NetworkContainerNotRunning", EngineErrorKind.InvalidState, $"Container {record.Name} shares the network of {target.Name}, which is not running.", target.Name);
                net.SandboxPath = target.Network.SandboxPath ?? $"/proc/{target.State.Pid}/ns/net";
                return;
            case NetworkModeKind.Network:
                break;
            default:
                return;
        }
        try
        {
            using var hostLock = StoreLock.Acquire(HostLockFile);
            var ports = ResolvePorts(record, image);
            net.Namespace = NetNamespace.NameFor(record.Id);
            net.SandboxPath = NetNamespace.Create(net.Namespace);
            // A namespace made by ip netns has its loopback down; the runtime only raises it in namespaces it makes.
            _cni.AddSingle(LoopbackPlugin, new CniAttachment { ContainerId = record.Id, IfName = "lo", NetNs = net.SandboxPath });
            for (var i = 0; i < net.Endpoints.Count; i++)
                AttachEndpoint(record, net.Endpoints[i], "eth" + i, i == 0 ? ports : []);
            net.Ports = ports;
            RefreshPeers(record, UserNetworks(record));
        }
        catch
        {
            Detach(record);
            throw;
        }
    }

    /// <summary>Points the spec's network namespace at the container's sandbox, or drops it for host mode.</summary>
    public void ApplyTo(OciSpec spec, ContainerRecord record)
    {
        var namespaces = spec.Linux?.Namespaces;
        var entry = namespaces?.FirstOrDefault(n => n.Type == "network");
        if (namespaces is null || entry is null) return;
        switch (ModeOf(record).Kind)
        {
            case NetworkModeKind.Host:
                namespaces.Remove(entry);
                break;
            case NetworkModeKind.Network or NetworkModeKind.Container:
                entry.Path = record.Network.SandboxPath;
                break;
        }
    }

    /// <summary>
    /// Writes /etc/hostname, /etc/hosts and /etc/resolv.conf into <paramref name="dir"/>, where the spec bind-mounts
    /// them from: the host's own for host mode, the target's for container mode, generated otherwise.
    /// </summary>
    public void WriteEtcFiles(ContainerRecord record, string dir)
    {
        var mode = ModeOf(record);
        var hostname = record.Settings.Hostname ?? record.Id[..12];
        string hosts, resolv;
        switch (mode.Kind)
        {
            case NetworkModeKind.Host:
                hosts = ReadOr("/etc/hosts", EtcFiles.LoopbackHosts(hostname));
                resolv = ReadOr("/etc/resolv.conf", "");
                break;
            case NetworkModeKind.Container:
                var targetDir = _containers.PathsOf(mode.Name).Dir;
                hosts = ReadOr(Path.Combine(targetDir, "hosts"), EtcFiles.LoopbackHosts(hostname));
                resolv = ReadOr(Path.Combine(targetDir, "resolv.conf"), HostResolvConf());
                break;
            case NetworkModeKind.Network:
                hosts = HostsFor(record, Snapshot(record), record.Id);
                resolv = HostResolvConf();
                break;
            default:
                hosts = EtcFiles.LoopbackHosts(hostname);
                resolv = HostResolvConf();
                break;
        }
        AtomicFile.WriteAllText(Path.Combine(dir, "hostname"), hostname + "\n");
        AtomicFile.WriteAllText(Path.Combine(dir, "hosts"), hosts);
        AtomicFile.WriteAllText(Path.Combine(dir, "resolv.conf"), resolv);
    }

    /// <summary>
    /// Takes a container off its networks: DEL for every cached attachment (last interface first), then the
    /// namespace, then bridges left without ports; peers' hosts files lose its names. Safe to repeat. A DEL that
    /// fails keeps its cached attachment, so <see cref="Repair"/> tries again on a later call.
    /// </summary>
    public void Detach(ContainerRecord record)
    {
        var bridges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attachment in Store.Attachments(record.Id))
            TryDelete(attachment, bridges);
        TryDeleteNamespace(record.Id);
        DeleteUnusedBridges(bridges);
        var userNetworks = UserNetworks(record);
        var net = record.Network;
        foreach (var endpoint in net.Endpoints) endpoint.ClearAttachment();
        net.Namespace = null;
        net.SandboxPath = null;
        net.Ports = [];
        RefreshPeers(record, userNetworks);
    }

    /// <summary>
    /// Finishes teardowns a crash interrupted: attachments and namespaces of containers that are not running
    /// (or no longer exist) are deleted. <paramref name="containers"/> are all the store's containers, up to date.
    /// </summary>
    public void Repair(IReadOnlyCollection<ContainerRecord> containers)
    {
        var live = containers.Where(c => c.State.Status is ContainerStatus.Running or ContainerStatus.Paused).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var bridges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attachment in Store.AttachmentsExcept(live))
            TryDelete(attachment, bridges);
        foreach (var container in containers.Where(c => !live.Contains(c.Id)))
            TryDeleteNamespace(container.Id);
        DeleteUnusedBridges(bridges);
    }

    /// <summary>Connects a container to a network; a running one gets the next interface (eth1, …) at once.</summary>
    public ContainerRecord Connect(string container, string network, IReadOnlyList<string> aliases)
    {
        using var _ = _layout.Lock();
        var record = _findContainer(container);
        var mode = ModeOf(record);
        if (mode.Kind != NetworkModeKind.Network)
            throw new EngineException("NetworkModeConflict", EngineErrorKind.InvalidState, $"Container {record.Name} uses -Network {mode}; only containers on bridge or user networks can join networks.", record.Name);
        var definition = Resolve(network);
        if (record.Network.Endpoints.Any(e => e.Network == definition.Name))
            throw new EngineException("AlreadyConnected", EngineErrorKind.AlreadyExists, $"Container {record.Name} is already connected to network '{definition.Name}'.", record.Name);
        if (aliases.Count > 0 && definition.Name == DefaultNetwork)
            throw new EngineException("AliasNeedsUserNetwork", EngineErrorKind.InvalidArgument, "Network aliases work on user networks only (New-Network), as in Docker.", definition.Name);
        var endpoint = new NetworkEndpoint { Network = definition.Name, Aliases = aliases.Distinct(StringComparer.Ordinal).ToList() };
        var running = record.State.Status is ContainerStatus.Running or ContainerStatus.Paused;
        if (running)
        {
            var ifName = NextInterface(record);
            try
            {
                using var hostLock = StoreLock.Acquire(HostLockFile);
                AttachEndpoint(record, endpoint, ifName, []);
            }
            catch
            {
                foreach (var attachment in Store.Attachments(record.Id).Where(a => a.IfName == ifName))
                    TryDelete(attachment, new HashSet<string>());
                throw;
            }
        }
        record.Network.Endpoints.Add(endpoint);
        _containers.Save(record);
        if (running) RewriteHosts(record, [definition.Name]);
        return record;
    }

    /// <summary>Disconnects a container from a network; a running one loses that interface at once.</summary>
    public ContainerRecord Disconnect(string container, string network)
    {
        using var _ = _layout.Lock();
        var record = _findContainer(container);
        var name = record.Network.Endpoints.Any(e => e.Network == network) ? network : Resolve(network).Name;
        var endpoint = record.Network.Endpoints.FirstOrDefault(e => e.Network == name)
            ?? throw new EngineException("NotConnected", EngineErrorKind.NotFound, $"Container {record.Name} is not connected to network '{network}'.", network);
        if (endpoint.Interface is { } ifName)
        {
            var bridges = new HashSet<string>(StringComparer.Ordinal);
            foreach (var attachment in Store.Attachments(record.Id).Where(a => a.IfName == ifName))
            {
                _cni.Delete(attachment);
                Store.DeleteAttachment(attachment);
                if (BridgeOf(attachment.Config) is { } bridge) bridges.Add(bridge);
                // The ports were published through this attachment; they went with it.
                if (attachment.CapabilityArgs is not null) record.Network.Ports = [];
            }
            DeleteUnusedBridges(bridges);
        }
        var wasAttached = endpoint.IPAddress is not null;
        record.Network.Endpoints.Remove(endpoint);
        _containers.Save(record);
        if (wasAttached) RewriteHosts(record, [endpoint.Network]);
        return record;
    }

    /// <summary>A renamed running container answers to its new name: its own and its peers' hosts files are rewritten.</summary>
    public void Renamed(ContainerRecord record)
    {
        if (record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused) || ModeOf(record).Kind != NetworkModeKind.Network) return;
        RewriteHosts(record, UserNetworks(record));
    }

    /// <summary>The container's -Network mode; records older than networking ran with loopback only.</summary>
    public static NetworkMode ModeOf(ContainerRecord record) =>
        record.Settings.Network is null ? new NetworkMode(NetworkModeKind.None, "") : NetworkMode.Parse(record.Settings.Network);

    /// <summary>The ports to show for a container: as published while it runs, as asked for otherwise.</summary>
    public static IReadOnlyList<PortMapping> PortsOf(ContainerRecord record) =>
        record.State.Status is ContainerStatus.Running or ContainerStatus.Paused ? record.Network.Ports : record.Settings.Ports;

    private void AttachEndpoint(ContainerRecord record, NetworkEndpoint endpoint, string ifName, IReadOnlyList<PortMapping> ports)
    {
        var network = Resolve(endpoint.Network);
        var attachment = new CniAttachment
        {
            Network = network.Name,
            ContainerId = record.Id,
            IfName = ifName,
            NetNs = record.Network.SandboxPath ?? throw new InvalidOperationException("The container has no network namespace."),
            Config = (JsonObject)network.Config.DeepClone(),
            CapabilityArgs = CniConfig.PortMappingArgs(ports),
        };
        // Cached before ADD: should ADD fail half-way or the process die, DEL still knows what to undo.
        Store.SaveAttachment(attachment);
        var result = _cni.Add(attachment, partial =>
        {
            attachment.Result = partial;
            Store.SaveAttachment(attachment);
        });
        var parsed = CniResult.Parse(result);
        var address = parsed.Address(ifName);
        endpoint.Interface = ifName;
        endpoint.IPAddress = address?.Ip;
        endpoint.PrefixLength = address?.PrefixLength ?? 0;
        endpoint.Gateway = address?.Gateway;
        endpoint.MacAddress = parsed.ContainerInterface(ifName)?.Mac;
    }

    private void TryDelete(CniAttachment attachment, HashSet<string> bridges)
    {
        try
        {
            _cni.Delete(attachment);
            Store.DeleteAttachment(attachment);
            if (BridgeOf(attachment.Config) is { } bridge) bridges.Add(bridge);
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

    /// <summary>Deletes the bridges without ports; once one goes, the plugins' shared iptables chains may be unused too.</summary>
    private static void DeleteUnusedBridges(IEnumerable<string> bridges)
    {
        var deleted = false;
        foreach (var bridge in bridges.Where(BridgeLinks.IsUnused))
        {
            try
            {
                BridgeLinks.Delete(bridge);
                deleted = true;
            }
            catch (EngineException)
            {
                // Still there; the next teardown that finds it unused tries again.
            }
        }
        if (deleted) RemoveUnusedScaffolding();
    }

    private static void RemoveUnusedScaffolding()
    {
        using var hostLock = StoreLock.Acquire(HostLockFile);
        IptablesScaffolding.RemoveUnused();
    }

    private static string? BridgeOf(JsonObject config) =>
        (config["plugins"] as JsonArray)?.OfType<JsonObject>().Where(p => (string?)p["type"] == "bridge").Select(p => (string?)p["bridge"]).FirstOrDefault();

    /// <summary>Published ports with host ports chosen: -Port entries, then the image's EXPOSE entries for -PublishAll.</summary>
    private List<PortMapping> ResolvePorts(ContainerRecord record, OciRunConfig? image)
    {
        var requested = record.Settings.Ports.ToList();
        if (record.Settings.PublishAll)
        {
            foreach (var key in image?.ExposedPorts?.Keys ?? Enumerable.Empty<string>())
            {
                var exposed = PortMapping.FromExposed(key);
                if (!requested.Any(p => p.ContainerPort == exposed.ContainerPort && p.Protocol == exposed.Protocol)) requested.Add(exposed);
            }
        }
        if (requested.Count == 0) return [];
        var taken = _containers.List()
            .Where(c => c.Id != record.Id && c.State.Status is ContainerStatus.Running or ContainerStatus.Paused)
            .SelectMany(c => c.Network.Ports).ToList();
        var resolved = new List<PortMapping>();
        foreach (var port in requested)
        {
            var hostPort = port.HostPort;
            if (hostPort == 0)
            {
                var avoid = taken.Where(t => t.Protocol == port.Protocol).Select(t => t.HostPort).ToHashSet();
                hostPort = HostPorts.Random(port.HostIp, port.Protocol, avoid);
            }
            else
            {
                if (taken.FirstOrDefault(t => t.HostPort == hostPort && t.Protocol == port.Protocol && (t.HostIp.Length == 0 || port.HostIp.Length == 0 || t.HostIp == port.HostIp)) is { } clash)
                    throw new EngineException("PortAllocated", EngineErrorKind.InvalidState, $"Host port {hostPort}/{port.Protocol} is already published ({clash}) by another container.", port.ToString());
                if (!HostPorts.IsFree(port.HostIp, hostPort, port.Protocol))
                    throw new EngineException("PortInUse", EngineErrorKind.InvalidState, $"Host port {hostPort}/{port.Protocol} is in use by a program on the host.", port.ToString());
            }
            var mapping = new PortMapping { HostIp = port.HostIp, HostPort = hostPort, ContainerPort = port.ContainerPort, Protocol = port.Protocol };
            resolved.Add(mapping);
            taken.Add(mapping);
        }
        return resolved;
    }

    /// <summary>
    /// The store's containers with <paramref name="current"/> in place of its stored record, which may be behind
    /// (a container being started or stopped is saved only afterwards).
    /// </summary>
    private List<ContainerRecord> Snapshot(ContainerRecord current) =>
        _containers.List().Where(c => c.Id != current.Id).Append(current).ToList();

    /// <summary>
    /// Whether a container has addresses now: attached and running, or attached and the one changing, which is
    /// being started (or stopped) and so not yet recorded as running (or stopped).
    /// </summary>
    private static bool IsAttached(ContainerRecord container, string changingId) =>
        container.Network.Endpoints.Any(e => e.IPAddress is not null)
        && (container.Id == changingId || container.State.Status is ContainerStatus.Running or ContainerStatus.Paused);

    /// <summary>The hosts file of <paramref name="record"/> among <paramref name="all"/>, where <paramref name="changingId"/> is changing.</summary>
    private static string HostsFor(ContainerRecord record, IReadOnlyList<ContainerRecord> all, string changingId)
    {
        var hostname = record.Settings.Hostname ?? record.Id[..12];
        var own = record.Network.Endpoints.Where(e => e.IPAddress is not null)
            .Select(e => new HostsEntry(e.IPAddress!, [hostname, record.Name, .. e.Aliases])).ToList();
        var peers = new List<HostsEntry>();
        foreach (var endpoint in record.Network.Endpoints.Where(e => e.IPAddress is not null && e.Network != DefaultNetwork))
        {
            foreach (var peer in all.Where(c => c.Id != record.Id && IsAttached(c, changingId)).OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                if (peer.Network.Endpoints.FirstOrDefault(e => e.Network == endpoint.Network && e.IPAddress is not null) is { } theirs)
                    peers.Add(new HostsEntry(theirs.IPAddress!, [peer.Name, .. theirs.Aliases]));
            }
        }
        return EtcFiles.Hosts(own, peers);
    }

    private static HashSet<string> UserNetworks(ContainerRecord record) =>
        record.Network.Endpoints.Where(e => e.IPAddress is not null && e.Network != DefaultNetwork).Select(e => e.Network).ToHashSet(StringComparer.Ordinal);

    /// <summary>Rewrites the hosts files of the running containers that share one of <paramref name="networks"/> with <paramref name="changed"/>.</summary>
    private void RefreshPeers(ContainerRecord changed, IReadOnlySet<string> networks)
    {
        if (networks.Count == 0) return;
        var all = Snapshot(changed);
        foreach (var peer in all.Where(c => c.Id != changed.Id && c.State.Status is ContainerStatus.Running or ContainerStatus.Paused))
        {
            if (peer.Network.Endpoints.Any(e => e.IPAddress is not null && networks.Contains(e.Network)))
                RewriteInPlace(Path.Combine(_containers.PathsOf(peer.Id).Dir, "hosts"), HostsFor(peer, all, changed.Id));
        }
    }

    /// <summary>Rewrites a running container's own hosts file and those of its peers on <paramref name="networks"/>.</summary>
    private void RewriteHosts(ContainerRecord record, IReadOnlyCollection<string> networks)
    {
        RewriteInPlace(Path.Combine(_containers.PathsOf(record.Id).Dir, "hosts"), HostsFor(record, Snapshot(record), record.Id));
        RefreshPeers(record, networks.Where(n => n != DefaultNetwork).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Overwrites a file keeping its inode: the container sees it through a bind mount of that inode, which a
    /// rename would leave pointing at the old content.
    /// </summary>
    private static void RewriteInPlace(string path, string content)
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        stream.SetLength(0);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static string NextInterface(ContainerRecord record)
    {
        var used = record.Network.Endpoints.Select(e => e.Interface).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (var i = 0; ; i++)
            if (!used.Contains("eth" + i)) return "eth" + i;
    }

    private static bool UsesNetwork(ContainerRecord container, string network) =>
        container.Settings.Network == network || container.Network.Endpoints.Any(e => e.Network == network);

    /// <summary>A network by name, full id or unique id prefix; the default network is made when first needed.</summary>
    private NetworkDefinition Resolve(string nameOrId)
    {
        if (nameOrId == DefaultNetwork) return EnsureDefault();
        if (Store.TryRead(nameOrId) is { } byName) return byName;
        if (File.Exists(Store.ConfigPath(nameOrId))) throw Corrupt(nameOrId);
        if (nameOrId.Length >= 3 && nameOrId.All(char.IsAsciiHexDigitLower))
        {
            var matches = Store.List().Where(n => n.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1) return matches[0];
            if (matches.Count > 1)
                throw new EngineException("AmbiguousNetworkId", EngineErrorKind.InvalidArgument, $"Network id prefix '{nameOrId}' matches {matches.Count} networks.", nameOrId);
        }
        throw new EngineException("NetworkNotFound", EngineErrorKind.NotFound, $"No such network: {nameOrId}", nameOrId);
    }

    /// <summary>
    /// The default network, written on first need: 10.88.0.0/16 in the default store when the host does not route
    /// it already, else a free /24; its bridge name derives from the store, so stores never share a bridge.
    /// </summary>
    private NetworkDefinition EnsureDefault()
    {
        if (Store.TryRead(DefaultNetwork) is { } existing) return existing;
        if (File.Exists(Store.ConfigPath(DefaultNetwork))) throw Corrupt(DefaultNetwork);
        var taken = TakenSubnets(Store.List());
        var preferred = Ipv4Subnet.Parse(DefaultSubnet);
        var subnet = IsDefaultStore && !taken.Any(preferred.Overlaps) ? preferred : SubnetAllocator.Pick(taken, Seed(DefaultNetwork));
        var config = CniConfig.BridgeNetwork(DefaultNetwork, RecordId.New(), DateTimeOffset.UtcNow, BridgeNameFor(DefaultNetwork), subnet,
            Ipv4Subnet.FormatAddress(subnet.FirstHost), isInternal: false, new Dictionary<string, string>(), Store.IpamDir);
        Store.Write(DefaultNetwork, config);
        return NetworkDefinition.FromConfig(config, DefaultNetwork);
    }

    private bool IsDefaultStore => _layout.Root == StoreLayout.DefaultRoot;

    /// <summary>
    /// The Linux bridge of a network: "pscontainer0" for the default network of the default store, else "psc-"
    /// and a hash of store and name, which fits the 15-character interface name limit.
    /// </summary>
    private string BridgeNameFor(string network) =>
        IsDefaultStore && network == DefaultNetwork ? "pscontainer0" : "psc-" + StoreHash(network)[..11];

    private string StoreHash(string network) =>
        Content.Digest.Of(System.Text.Encoding.UTF8.GetBytes(_layout.Root + "\n" + network)).Hex;

    private uint Seed(string network) => Convert.ToUInt32(StoreHash(network)[..8], 16);

    private static List<Ipv4Subnet> TakenSubnets(IEnumerable<NetworkDefinition> networks) =>
        networks.Where(n => n.Subnet is not null).Select(n => Ipv4Subnet.Parse(n.Subnet!)).Concat(HostRoutes.Read()).ToList();

    private static string Gateway(Ipv4Subnet subnet, string? requested)
    {
        if (requested is null) return Ipv4Subnet.FormatAddress(subnet.FirstHost);
        if (!Ipv4Subnet.TryParseAddress(requested, out var gateway) || !subnet.Contains(gateway) || gateway == subnet.Network || gateway == subnet.Broadcast)
            throw new EngineException("InvalidGateway", EngineErrorKind.InvalidArgument, $"Gateway '{requested}' must be a host address inside {subnet}.", requested);
        return requested;
    }

    private NetworkInfo Describe(NetworkDefinition network, IEnumerable<ContainerRecord> containers) => new()
    {
        Name = network.Name,
        Id = network.Id,
        Subnet = network.Subnet,
        Gateway = network.Gateway,
        Interface = network.BridgeName,
        Internal = network.Internal,
        IsDefault = network.Name == DefaultNetwork,
        Labels = network.Labels,
        Created = network.Created,
        Containers = containers.Where(c => c.Network.Endpoints.Any(e => e.Network == network.Name)).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToList(),
        ConfigPath = Store.ConfigPath(network.Name),
    };

    private static string HostHostname() => File.ReadAllText("/proc/sys/kernel/hostname").Trim();

    private static string HostResolvConf() =>
        EtcFiles.ResolvConf(ReadOr("/etc/resolv.conf", ""), File.Exists("/run/systemd/resolve/resolv.conf") ? File.ReadAllText("/run/systemd/resolve/resolv.conf") : null);

    private static string ReadOr(string path, string fallback) => File.Exists(path) ? File.ReadAllText(path) : fallback;

    private EngineException Corrupt(string name) =>
        new("CorruptStoreRecord", EngineErrorKind.InvalidData, $"Network configuration {Store.ConfigPath(name)} is unreadable; fix or delete it.", name);
}
