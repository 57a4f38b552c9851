namespace PSContainer.Engine.Networks;

/// <summary>A container's place on one network, as Get-Container shows it.</summary>
public sealed class ContainerNetworkInfo
{
    /// <summary>The network's name.</summary>
    public string Network { get; init; } = "";

    /// <summary>Other names the container has on this network.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The interface inside the container, while it runs.</summary>
    public string? Interface { get; init; }

    /// <summary>The container's address on the network, while it runs.</summary>
    public string? IPAddress { get; init; }

    /// <summary>The prefix length of the network.</summary>
    public int PrefixLength { get; init; }

    /// <summary>The network's gateway.</summary>
    public string? Gateway { get; init; }

    /// <summary>The MAC address of the interface.</summary>
    public string? MacAddress { get; init; }

    /// <inheritdoc/>
    public override string ToString() => IPAddress is null ? Network : $"{Network} ({IPAddress})";

    internal static ContainerNetworkInfo From(NetworkEndpoint endpoint) => new()
    {
        Network = endpoint.Network,
        Aliases = endpoint.Aliases.ToList(),
        Interface = endpoint.Interface,
        IPAddress = endpoint.IPAddress,
        PrefixLength = endpoint.PrefixLength,
        Gateway = endpoint.Gateway,
        MacAddress = endpoint.MacAddress,
    };
}
