using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Containers;

/// <summary>
/// A container's networking, kept on its record: the -Network mode checked at create, endpoints attached at
/// start and detached at stop (by <see cref="NetworkAttacher"/>, which sees container ids only), its
/// /etc/hosts, /etc/hostname and /etc/resolv.conf, and the hosts files of the peers that share a user network
/// with it. Everything runs under the store lock.
/// </summary>
internal sealed class ContainerNetworking
{
    private readonly StoreLayout _layout;
    private readonly ContainerStore _store;
    private readonly NetworkManager _networks;
    private readonly NetworkAttacher _attacher;
    private readonly NetworkDns _dns;
    private readonly Func<string, ContainerRecord> _find;

    /// <param name="layout">The store's directories (for its lock).</param>
    /// <param name="store">The container records, where endpoints are kept.</param>
    /// <param name="networks">The networks containers join.</param>
    /// <param name="find">Resolves a container name or id, bringing its record up to date.</param>
    public ContainerNetworking(StoreLayout layout, ContainerStore store, NetworkManager networks, Func<string, ContainerRecord> find)
    {
        _layout = layout;
        _store = store;
        _networks = networks;
        _attacher = new NetworkAttacher(networks);
        _dns = new NetworkDns(Path.Combine(layout.RunRoot, "aardvark-dns"));
        _find = find;
    }

    /// <summary>The container's -Network mode; records older than networking ran with loopback only.</summary>
    public static NetworkMode ModeOf(ContainerRecord record) =>
        record.Settings.Network is null ? new NetworkMode(NetworkModeKind.None, "") : NetworkMode.Parse(record.Settings.Network);

    /// <summary>The ports to show for a container: as published while it runs, as asked for otherwise.</summary>
    public static IReadOnlyList<PortMapping> PortsOf(ContainerRecord record) =>
        IsRunning(record) ? record.Network.Ports : record.Settings.Ports;

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
                var network = _networks.Resolve(mode.Name);
                settings.Network = network.Name;
                return new ContainerNetwork { Endpoints = [new NetworkEndpoint { Network = network.Name, Aliases = settings.NetworkAliases.ToList() }] };
            case NetworkModeKind.Host:
                settings.Hostname ??= EtcFiles.HostHostname();
                break;
            case NetworkModeKind.Container:
                if (settings.Hostname is not null)
                    throw new EngineException("HostnameConflict", EngineErrorKind.InvalidArgument, "A container that shares another container's network has that container's hostname; drop -Hostname.", settings.Hostname);
                var target = _find(mode.Name);
                settings.Network = NetworkMode.ContainerPrefix + target.Id;
                settings.Hostname = target.Settings.Hostname ?? target.Id[..12];
                break;
        }
        return new ContainerNetwork();
    }

    /// <summary>
    /// Gives a starting container its network: for a network mode, a fresh namespace with one attachment per
    /// network, ports published on the first; for container mode, the target's namespace. On failure everything
    /// done is undone.
    /// </summary>
    public void Attach(ContainerRecord record, OciRunConfig? image)
    {
        var mode = ModeOf(record);
        var net = record.Network;
        switch (mode.Kind)
        {
            case NetworkModeKind.Container:
                var target = _find(mode.Name);
                if (!IsRunning(target))
                    throw new EngineException("NetworkContainerNotRunning", EngineErrorKind.InvalidState, $"Container {record.Name} shares the network of {target.Name}, which is not running.", target.Name);
                net.SandboxPath = target.Network.SandboxPath ?? $"/proc/{target.State.Pid}/ns/net";
                return;
            case NetworkModeKind.Network:
                break;
            default:
                return;
        }
        var taken = _store.List().Where(c => c.Id != record.Id && IsRunning(c)).SelectMany(c => c.Network.Ports);
        var ports = PortAllocator.Resolve(record.Settings.Ports, record.Settings.PublishAll, image?.ExposedPorts?.Keys ?? Enumerable.Empty<string>(), taken);
        var run = _attacher.Attach(record.Id, net.Endpoints, ports);
        net.Namespace = run.Namespace;
        net.SandboxPath = run.SandboxPath;
        net.Endpoints = run.Endpoints;
        net.Ports = run.Ports;
        RefreshPeers(record, UserNetworks(record));
        UpdateDns(AttachedNetworks(record), AttachedPeers(record));
    }

    /// <summary>Points the spec's network namespace at the container's sandbox, or drops it for host mode.</summary>
    public static void ApplyTo(OciSpec spec, ContainerRecord record)
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
        var hostname = HostnameOf(record);
        string hosts, resolv;
        switch (mode.Kind)
        {
            case NetworkModeKind.Host:
                hosts = EtcFiles.ReadOr("/etc/hosts", EtcFiles.LoopbackHosts(hostname));
                resolv = EtcFiles.ReadOr("/etc/resolv.conf", "");
                break;
            case NetworkModeKind.Container:
                var targetDir = _store.PathsOf(mode.Name).Dir;
                hosts = EtcFiles.ReadOr(Path.Combine(targetDir, "hosts"), EtcFiles.LoopbackHosts(hostname));
                resolv = EtcFiles.ReadOr(Path.Combine(targetDir, "resolv.conf"), EtcFiles.HostResolvConf());
                break;
            case NetworkModeKind.Network:
                hosts = HostsFiles.For(PeerOf(record), AttachedPeers(record));
                var servers = NetworkDns.Program is null ? [] : record.Network.Endpoints.Select(e => e.Gateway).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                resolv = servers.Count > 0 ? EtcFiles.ResolvConfVia(servers, EtcFiles.ReadOr("/etc/resolv.conf", "")) : EtcFiles.HostResolvConf();
                break;
            default:
                hosts = EtcFiles.LoopbackHosts(hostname);
                resolv = EtcFiles.HostResolvConf();
                break;
        }
        AtomicFile.WriteAllText(Path.Combine(dir, "hostname"), hostname + "\n");
        AtomicFile.WriteAllText(Path.Combine(dir, "hosts"), hosts);
        AtomicFile.WriteAllText(Path.Combine(dir, "resolv.conf"), resolv);
    }

    /// <summary>Takes a container off its networks (safe to repeat); peers' hosts files lose its names.</summary>
    public void Detach(ContainerRecord record)
    {
        // The DNS server leaves the networks first: it listens on their bridges, which may go with the container.
        UpdateDns(AttachedNetworks(record), AttachedPeers(record).Where(p => p.Id != record.Id).ToList());
        _attacher.Detach(record.Id);
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
        var live = containers.Where(IsRunning).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        _dns.Prune(containers.Where(IsRunning).SelectMany(AttachedNetworks).ToHashSet(StringComparer.Ordinal));
        // A build step's RUN has an attachment but no record: it stays while the build that owns it runs.
        _attacher.Repair(id => live.Contains(id) || TransientContainer.IsOwnerAlive(id), containers.Where(c => !live.Contains(c.Id)).Select(c => c.Id));
    }

    /// <summary>Connects a container to a network; a running one gets the next interface (eth1, …) at once.</summary>
    public ContainerRecord Connect(string container, string network, IReadOnlyList<string> aliases)
    {
        using var _ = _layout.Lock();
        var record = _find(container);
        var mode = ModeOf(record);
        if (mode.Kind != NetworkModeKind.Network)
            throw new EngineException("NetworkModeConflict", EngineErrorKind.InvalidState, $"Container {record.Name} uses -Network {mode}; only containers on bridge or user networks can join networks.", record.Name);
        var definition = _networks.Resolve(network);
        if (record.Network.Endpoints.Any(e => e.Network == definition.Name))
            throw new EngineException("AlreadyConnected", EngineErrorKind.AlreadyExists, $"Container {record.Name} is already connected to network '{definition.Name}'.", record.Name);
        if (aliases.Count > 0 && definition.Name == NetworkManager.DefaultNetwork)
            throw new EngineException("AliasNeedsUserNetwork", EngineErrorKind.InvalidArgument, "Network aliases work on user networks only (New-Network), as in Docker.", definition.Name);
        var endpoint = new NetworkEndpoint { Network = definition.Name, Aliases = aliases.Distinct(StringComparer.Ordinal).ToList() };
        var running = IsRunning(record);
        if (running)
            endpoint = _attacher.Connect(record.Id, record.Network.SandboxPath ?? throw new InvalidOperationException("The container has no network namespace."), endpoint, NextInterface(record));
        record.Network.Endpoints.Add(endpoint);
        _store.Save(record);
        if (running)
        {
            RewriteHosts(record, [definition.Name]);
            UpdateDns([definition.Name], AttachedPeers(record));
        }
        return record;
    }

    /// <summary>Disconnects a container from a network; a running one loses that interface at once.</summary>
    public ContainerRecord Disconnect(string container, string network)
    {
        using var _ = _layout.Lock();
        var record = _find(container);
        var name = record.Network.Endpoints.Any(e => e.Network == network) ? network : _networks.Resolve(network).Name;
        var endpoint = record.Network.Endpoints.FirstOrDefault(e => e.Network == name)
            ?? throw new EngineException("NotConnected", EngineErrorKind.NotFound, $"Container {record.Name} is not connected to network '{network}'.", network);
        if (endpoint.Interface is { } ifName && _attacher.Disconnect(record.Id, ifName))
            record.Network.Ports = [];
        var wasAttached = endpoint.IPAddress is not null;
        record.Network.Endpoints.Remove(endpoint);
        _store.Save(record);
        if (wasAttached)
        {
            RewriteHosts(record, [endpoint.Network]);
            UpdateDns([endpoint.Network], AttachedPeers(record));
        }
        return record;
    }

    /// <summary>A renamed running container answers to its new name: its own and its peers' hosts files are rewritten.</summary>
    public void Renamed(ContainerRecord record)
    {
        if (!IsRunning(record) || ModeOf(record).Kind != NetworkModeKind.Network) return;
        RewriteHosts(record, UserNetworks(record));
        UpdateDns(AttachedNetworks(record), AttachedPeers(record));
    }

    private static bool IsRunning(ContainerRecord record) => record.State.Status is ContainerStatus.Running or ContainerStatus.Paused;

    private static string HostnameOf(ContainerRecord record) => record.Settings.Hostname ?? record.Id[..12];

    private static NetworkPeer PeerOf(ContainerRecord record) =>
        new(record.Id, record.Name, HostnameOf(record), record.Network.Endpoints.Where(e => e.IPAddress is not null).ToList());

    /// <summary>
    /// The store's containers that have addresses now, <paramref name="changing"/> (whose stored record may be
    /// behind: a container being started or stopped is saved only afterwards) in place of its stored record.
    /// </summary>
    private List<NetworkPeer> AttachedPeers(ContainerRecord changing) =>
        _store.List().Where(c => c.Id != changing.Id && IsRunning(c)).Append(changing)
            .Select(PeerOf).Where(p => p.Endpoints.Count > 0).ToList();

    private static IEnumerable<string> AttachedNetworks(ContainerRecord record) =>
        record.Network.Endpoints.Where(e => e.IPAddress is not null).Select(e => e.Network).Distinct(StringComparer.Ordinal);

    /// <summary>Brings the DNS server's view of <paramref name="networks"/> in line with the <paramref name="attached"/> peers.</summary>
    private void UpdateDns(IEnumerable<string> networks, IReadOnlyList<NetworkPeer> attached)
    {
        var definitions = networks.Select(n => _networks.Store.TryRead(n)).OfType<NetworkDefinition>().ToList();
        if (definitions.Count > 0) _dns.Update(definitions, attached);
    }

    private static HashSet<string> UserNetworks(ContainerRecord record) =>
        record.Network.Endpoints.Where(e => e.IPAddress is not null && e.Network != NetworkManager.DefaultNetwork).Select(e => e.Network).ToHashSet(StringComparer.Ordinal);

    /// <summary>Rewrites the hosts files of the running containers that share one of <paramref name="networks"/> with <paramref name="changed"/>.</summary>
    private void RefreshPeers(ContainerRecord changed, IReadOnlySet<string> networks)
    {
        if (networks.Count == 0) return;
        var attached = AttachedPeers(changed);
        foreach (var peer in attached.Where(p => p.Id != changed.Id && p.Endpoints.Any(e => networks.Contains(e.Network))))
            HostsFiles.RewriteInPlace(Path.Combine(_store.PathsOf(peer.Id).Dir, "hosts"), HostsFiles.For(peer, attached));
    }

    /// <summary>Rewrites a running container's own hosts file and those of its peers on <paramref name="networks"/>.</summary>
    private void RewriteHosts(ContainerRecord record, IReadOnlyCollection<string> networks)
    {
        HostsFiles.RewriteInPlace(Path.Combine(_store.PathsOf(record.Id).Dir, "hosts"), HostsFiles.For(PeerOf(record), AttachedPeers(record)));
        RefreshPeers(record, networks.Where(n => n != NetworkManager.DefaultNetwork).ToHashSet(StringComparer.Ordinal));
    }

    private static string NextInterface(ContainerRecord record)
    {
        var used = record.Network.Endpoints.Select(e => e.Interface).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (var i = 0; ; i++)
            if (!used.Contains("eth" + i)) return "eth" + i;
    }
}
