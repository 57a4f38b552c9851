namespace PSContainer.Engine.Networks;

/// <summary>
/// A container as the name services of its networks see it: its names and, per network, its address and
/// aliases. Only attached endpoints (with an address) are listed.
/// </summary>
internal sealed record NetworkPeer(string Id, string Name, string Hostname, IReadOnlyList<NetworkEndpoint> Endpoints);
