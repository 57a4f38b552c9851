namespace PSContainer.Engine.ApiService;

/// <summary>A running Docker Engine API server (pscontainer-api) over one store.</summary>
public sealed class ApiServerInfo
{
    /// <summary>The server's process id.</summary>
    public int Pid { get; set; }

    /// <summary>The unix socket it listens on, or null when it listens on TCP only.</summary>
    public string? Socket { get; set; }

    /// <summary>The TCP address it also listens on (host:port), when asked.</summary>
    public string? Listen { get; set; }

    /// <summary>The group whose members may use the socket besides root, if any.</summary>
    public string? Group { get; set; }

    /// <summary>The store it serves.</summary>
    public string Root { get; set; } = "";

    /// <summary>When it started.</summary>
    public DateTimeOffset Started { get; set; }

    /// <summary>How long it may sit without a request before it exits; null for never.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>The DOCKER_HOST value that reaches it.</summary>
    public string DockerHost => Socket is not null ? "unix://" + Socket : "tcp://" + Listen;

    /// <inheritdoc/>
    public override string ToString() => DockerHost;
}
