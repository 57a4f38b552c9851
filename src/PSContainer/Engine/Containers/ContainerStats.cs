namespace PSContainer.Engine.Containers;

/// <summary>A container's resource use at one moment (a row of <c>docker stats</c>).</summary>
public sealed class ContainerStats
{
    /// <summary>The container's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The container's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The first 12 hex digits of the id.</summary>
    public string ShortId => Id.Length >= 12 ? Id[..12] : Id;

    /// <summary>When the sample was taken.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>CPU use since the previous sample, in percent of one CPU (200 = two CPUs busy).</summary>
    public double CpuPercent { get; init; }

    /// <summary>CPU time used since the container started.</summary>
    public TimeSpan CpuTime { get; init; }

    /// <summary>Memory in use in bytes, not counting inactive page cache.</summary>
    public long MemoryUsage { get; init; }

    /// <summary>The memory limit in bytes: the container's, else the host's total memory.</summary>
    public long MemoryLimit { get; init; }

    /// <summary>Memory in use, in percent of the limit.</summary>
    public double MemoryPercent => MemoryLimit > 0 ? 100.0 * MemoryUsage / MemoryLimit : 0;

    /// <summary>Processes and threads in the container.</summary>
    public long Pids { get; init; }

    /// <summary>Bytes read from block devices.</summary>
    public long BlockRead { get; init; }

    /// <summary>Bytes written to block devices.</summary>
    public long BlockWrite { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
