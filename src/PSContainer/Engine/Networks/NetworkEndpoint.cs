namespace PSContainer.Engine.Networks;

/// <summary>
/// A container's membership of one network. Network and aliases persist; interface, addresses and MAC are
/// set while the container is attached and cleared when it is detached.
/// </summary>
internal sealed class NetworkEndpoint
{
    public string Network { get; set; } = "";

    /// <summary>Extra names the container answers to on this network (-NetworkAlias).</summary>
    public List<string> Aliases { get; set; } = new();

    /// <summary>The interface inside the container (eth0, eth1, …) while attached.</summary>
    public string? Interface { get; set; }

    public string? IPAddress { get; set; }
    public int PrefixLength { get; set; }
    public string? Gateway { get; set; }
    public string? MacAddress { get; set; }

    /// <summary>Forgets what the last attachment assigned.</summary>
    public void ClearAttachment()
    {
        Interface = null;
        IPAddress = null;
        PrefixLength = 0;
        Gateway = null;
        MacAddress = null;
    }
}
