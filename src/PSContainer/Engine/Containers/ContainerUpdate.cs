namespace PSContainer.Engine.Containers;

/// <summary>What Set-Container changes (docker update); null leaves a setting as it is.</summary>
internal sealed class ContainerUpdate
{
    public string? RestartPolicy { get; init; }
    public long? Memory { get; init; }
    public long? MemorySwap { get; init; }
    public double? Cpus { get; init; }
    public long? PidsLimit { get; init; }

    /// <summary>Whether a cgroup limit changes (a running container's cgroup is updated then).</summary>
    public bool ChangesLimits => Memory is not null || MemorySwap is not null || Cpus is not null || PidsLimit is not null;

    /// <summary>Writes the changes into <paramref name="settings"/>.</summary>
    public void ApplyTo(ContainerSettings settings)
    {
        if (RestartPolicy is not null) settings.RestartPolicy = RestartPolicy;
        if (Memory is not null) settings.Memory = Memory;
        if (MemorySwap is not null) settings.MemorySwap = MemorySwap;
        if (Cpus is not null) settings.Cpus = Cpus;
        if (PidsLimit is not null) settings.PidsLimit = PidsLimit;
    }
}
