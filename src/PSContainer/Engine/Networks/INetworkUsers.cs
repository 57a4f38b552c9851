namespace PSContainer.Engine.Networks;

/// <summary>
/// Which containers are on which network, as the container store records it. Networks asks through this, never
/// for container records: a network in use is not removed, and Get-Network lists its containers.
/// </summary>
internal interface INetworkUsers
{
    /// <summary>Network name → names of the containers connected to it.</summary>
    Dictionary<string, List<string>> ByNetwork();

    /// <summary>Names of the containers connected to <paramref name="network"/> or created to run on it.</summary>
    IReadOnlyList<string> Using(string network);
}
