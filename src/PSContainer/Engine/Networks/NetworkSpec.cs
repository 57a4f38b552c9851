namespace PSContainer.Engine.Networks;

/// <summary>What New-Network asks for.</summary>
internal sealed class NetworkSpec
{
    public string Name { get; set; } = "";

    /// <summary>CIDR subnet; chosen from free private space when null.</summary>
    public string? Subnet { get; set; }

    /// <summary>The bridge's address; the subnet's first address when null.</summary>
    public string? Gateway { get; set; }

    /// <summary>No NAT and no default route: containers reach each other and the host only.</summary>
    public bool Internal { get; set; }

    /// <summary>Where the network's DNS server forwards names it does not know; the host's resolvers when empty.</summary>
    public List<string> DnsServers { get; set; } = new();

    public Dictionary<string, string> Labels { get; set; } = new();
}
