namespace PSContainer.Engine.Networks;

/// <summary>How a container gets its network.</summary>
internal enum NetworkModeKind
{
    /// <summary>Its own network namespace, attached to CNI networks (the default "bridge" or user networks).</summary>
    Network,
    /// <summary>Its own network namespace with only loopback.</summary>
    None,
    /// <summary>The host's network namespace.</summary>
    Host,
    /// <summary>Another container's network namespace.</summary>
    Container,
}
