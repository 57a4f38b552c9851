namespace PSContainer.Engine.Networks;

/// <summary>A network as the cmdlets show it (<c>docker network ls</c>/<c>inspect</c> in one object).</summary>
public sealed class NetworkInfo
{
    /// <summary>The network's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The 64-hex id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The first 12 hex digits of the id.</summary>
    public string ShortId => Id.Length >= 12 ? Id[..12] : Id;

    /// <summary>The driver: "bridge".</summary>
    public string Driver { get; init; } = "bridge";

    /// <summary>The IPv4 subnet in CIDR form.</summary>
    public string? Subnet { get; init; }

    /// <summary>The gateway: the bridge's address.</summary>
    public string? Gateway { get; init; }

    /// <summary>The Linux bridge interface on the host.</summary>
    public string? Interface { get; init; }

    /// <summary>Whether the network is cut off from outside (no NAT, no default route).</summary>
    public bool Internal { get; init; }

    /// <summary>Whether this is the default network that containers join unless told otherwise.</summary>
    public bool IsDefault { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Where the network's DNS server forwards names it does not know; empty: the host's resolvers.</summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];

    /// <summary>The names of the containers connected to it.</summary>
    public IReadOnlyList<string> Containers { get; init; } = [];

    /// <summary>The CNI network configuration list that defines it.</summary>
    public string ConfigPath { get; init; } = "";

    /// <inheritdoc/>
    public override string ToString() => Name;
}
