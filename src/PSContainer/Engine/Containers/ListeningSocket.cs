namespace PSContainer.Engine.Containers;

/// <summary>A socket that waits for connections (TCP) or datagrams (UDP) in a container's network namespace.</summary>
public sealed class ListeningSocket
{
    /// <summary>The container's name.</summary>
    public string Container { get; init; } = "";

    /// <summary>"tcp" or "udp".</summary>
    public string Protocol { get; init; } = "";

    /// <summary>The local address: 0.0.0.0 or :: for every address.</summary>
    public string Address { get; init; } = "";

    /// <summary>The port.</summary>
    public int Port { get; init; }

    /// <summary>Host pid of the process that holds the socket, when it was found.</summary>
    public int? Pid { get; init; }

    /// <summary>That process's name.</summary>
    public string? ProcessName { get; init; }

    /// <summary>The kernel's socket inode, which ties the socket to the process holding it.</summary>
    internal long Inode { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Port}/{Protocol}";
}
