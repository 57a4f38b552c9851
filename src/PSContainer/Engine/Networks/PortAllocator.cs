namespace PSContainer.Engine.Networks;

/// <summary>Chooses the host ports a container publishes: -Port entries, then the image's EXPOSE entries for -PublishAll.</summary>
internal static class PortAllocator
{
    /// <summary>
    /// The published ports with host ports chosen. <paramref name="taken"/> are the ports running containers
    /// publish; a fixed port they or a host program hold is an error, a random one avoids them.
    /// </summary>
    public static List<PortMapping> Resolve(IReadOnlyList<PortMapping> requestedPorts, bool publishAll, IEnumerable<string> exposedPorts, IEnumerable<PortMapping> taken)
    {
        var requested = requestedPorts.ToList();
        if (publishAll)
        {
            foreach (var key in exposedPorts)
            {
                var exposed = PortMapping.FromExposed(key);
                if (!requested.Any(p => p.ContainerPort == exposed.ContainerPort && p.Protocol == exposed.Protocol)) requested.Add(exposed);
            }
        }
        if (requested.Count == 0) return [];
        var held = taken.ToList();
        var resolved = new List<PortMapping>();
        foreach (var port in requested)
        {
            var hostPort = port.HostPort;
            if (hostPort == 0)
            {
                var avoid = held.Where(t => t.Protocol == port.Protocol).Select(t => t.HostPort).ToHashSet();
                hostPort = HostPorts.Random(port.HostIp, port.Protocol, avoid);
            }
            else
            {
                if (held.FirstOrDefault(t => t.HostPort == hostPort && t.Protocol == port.Protocol && (t.HostIp.Length == 0 || port.HostIp.Length == 0 || t.HostIp == port.HostIp)) is { } clash)
                    throw new EngineException("PortAllocated", EngineErrorKind.InvalidState, $"Host port {hostPort}/{port.Protocol} is already published ({clash}) by another container.", port.ToString());
                if (!HostPorts.IsFree(port.HostIp, hostPort, port.Protocol))
                    throw new EngineException("PortInUse", EngineErrorKind.InvalidState, $"Host port {hostPort}/{port.Protocol} is in use by a program on the host.", port.ToString());
            }
            var mapping = new PortMapping { HostIp = port.HostIp, HostPort = hostPort, ContainerPort = port.ContainerPort, Protocol = port.Protocol };
            resolved.Add(mapping);
            held.Add(mapping);
        }
        return resolved;
    }
}
