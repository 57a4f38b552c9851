using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Networks;

/// <summary>
/// The networks: their CNI configuration lists, the default network made on first need, names and id
/// prefixes resolved. Which containers use a network it asks <see cref="INetworkUsers"/>; attaching containers
/// is <see cref="NetworkAttacher"/>'s work.
/// </summary>
internal sealed class NetworkManager
{
    /// <summary>The network containers join unless told otherwise.</summary>
    public const string DefaultNetwork = "bridge";

    /// <summary>The default network's subnet in the default store (Podman's too; another is chosen when the host routes it).</summary>
    private const string DefaultSubnet = "10.88.0.0/16";

    private readonly StoreLayout _layout;
    private readonly INetworkUsers _users;

    /// <param name="layout">The store's directories.</param>
    /// <param name="users">Which containers are on which network.</param>
    public NetworkManager(StoreLayout layout, INetworkUsers users)
    {
        _layout = layout;
        _users = users;
        Store = new NetworkStore(layout.NetworksDir);
    }

    /// <summary>The network files.</summary>
    public NetworkStore Store { get; }

    /// <summary>Every network, the default one included (it is made on first need).</summary>
    public List<NetworkInfo> List()
    {
        using var _ = _layout.Lock();
        EnsureDefault();
        var members = _users.ByNetwork();
        return Store.List().Select(n => Describe(n, members)).ToList();
    }

    /// <summary>One network by name, full id or unique id prefix.</summary>
    public NetworkInfo Get(string nameOrId)
    {
        using var _ = _layout.Lock();
        return Describe(Resolve(nameOrId), _users.ByNetwork());
    }

    /// <summary>Creates a bridge network; the subnet is chosen from free private space when none is given.</summary>
    public NetworkInfo Create(NetworkSpec spec)
    {
        NetworkNames.Validate(spec.Name);
        if (spec.Name == DefaultNetwork || NetworkNames.Reserved.Contains(spec.Name))
            throw new EngineException("NetworkNameReserved", EngineErrorKind.InvalidArgument, $"'{spec.Name}' is a predefined network or mode, not a name for a new network.", spec.Name);
        foreach (var server in spec.DnsServers.Where(s => !System.Net.IPAddress.TryParse(s, out System.Net.IPAddress? parsed)))
            throw new EngineException("InvalidDnsServer", EngineErrorKind.InvalidArgument, $"DNS server '{server}' is not an IP address.", server);
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
            spec.Internal, spec.Labels, Store.IpamDir, spec.DnsServers);
        Store.Write(spec.Name, config);
        return Describe(NetworkDefinition.FromConfig(config, spec.Name), new Dictionary<string, List<string>>());
    }

    /// <summary>Removes a network no container uses, with its bridge and its lease directory.</summary>
    public void Remove(string nameOrId)
    {
        using var _ = _layout.Lock();
        var network = Resolve(nameOrId);
        if (network.Name == DefaultNetwork)
            throw new EngineException("NetworkPredefined", EngineErrorKind.InvalidState, $"'{DefaultNetwork}' is the predefined default network and cannot be removed.", network.Name);
        var users = _users.Using(network.Name);
        if (users.Count > 0)
            throw new EngineException("NetworkInUse", EngineErrorKind.InvalidState,
                $"Network '{network.Name}' is used by container(s) {string.Join(", ", users)}; remove them or disconnect them first.", network.Name);
        if (network.BridgeName is { } bridge && BridgeLinks.Exists(bridge))
        {
            BridgeLinks.Delete(bridge);
            HostNetworkLock.RemoveUnusedScaffolding();
        }
        Store.Delete(network.Name);
    }

    /// <summary>
    /// A network by name, full id or unique id prefix; the default network is made when first needed. The caller
    /// holds the store lock.
    /// </summary>
    public NetworkDefinition Resolve(string nameOrId)
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

    private NetworkInfo Describe(NetworkDefinition network, IReadOnlyDictionary<string, List<string>> members) => new()
    {
        Name = network.Name,
        Id = network.Id,
        Subnet = network.Subnet,
        Gateway = network.Gateway,
        Interface = network.BridgeName,
        Internal = network.Internal,
        IsDefault = network.Name == DefaultNetwork,
        Labels = network.Labels,
        DnsServers = network.DnsServers,
        Created = network.Created,
        Containers = members.TryGetValue(network.Name, out var names) ? names.Order(StringComparer.Ordinal).ToList() : [],
        ConfigPath = Store.ConfigPath(network.Name),
    };

    private EngineException Corrupt(string name) =>
        new("CorruptStoreRecord", EngineErrorKind.InvalidData, $"Network configuration {Store.ConfigPath(name)} is unreadable; fix or delete it.", name);
}
