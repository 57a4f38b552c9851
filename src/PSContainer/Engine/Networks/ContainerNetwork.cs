namespace PSContainer.Engine.Networks;

/// <summary>A container's networking: the networks it is on, and what its current run was given.</summary>
internal sealed class ContainerNetwork
{
    /// <summary>The networks it is connected to, the first one being where ports are published.</summary>
    public List<NetworkEndpoint> Endpoints { get; set; } = new();

    /// <summary>The name of the network namespace made for the current run, if one was.</summary>
    public string? Namespace { get; set; }

    /// <summary>The network namespace path the runtime joins (its own, or the one of the container it shares).</summary>
    public string? SandboxPath { get; set; }

    /// <summary>The ports published for the current run, random host ports chosen.</summary>
    public List<PortMapping> Ports { get; set; } = new();
}
