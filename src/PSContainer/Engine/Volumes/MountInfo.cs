namespace PSContainer.Engine.Volumes;

/// <summary>A container mount as the cmdlets show it (the Mounts of <c>docker inspect</c>).</summary>
public sealed class MountInfo
{
    /// <summary>Volume, bind or tmpfs.</summary>
    public MountType Type { get; init; }

    /// <summary>The volume name or host path; null for tmpfs.</summary>
    public string? Source { get; init; }

    /// <summary>The path inside the container.</summary>
    public string Destination { get; init; } = "";

    /// <summary>Whether the container may only read it.</summary>
    public bool ReadOnly { get; init; }

    /// <inheritdoc/>
    public override string ToString() => (Source ?? "tmpfs") + ":" + Destination + (ReadOnly ? ":ro" : "");

    internal static MountInfo From(MountSetting mount) => new()
    {
        Type = mount.Type,
        Source = mount.Source,
        Destination = mount.Target,
        ReadOnly = mount.ReadOnly,
    };
}
