namespace PSContainer.Engine.Volumes;

/// <summary>A volume as the cmdlets show it (<c>docker volume ls</c>/<c>docker volume inspect</c> in one object).</summary>
public sealed class VolumeInfo
{
    /// <summary>The volume's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The volume driver; volumes are directories in the store.</summary>
    public string Driver => "local";

    /// <summary>The host directory containers see: <c>volumes/&lt;name&gt;/_data</c> under the store root.</summary>
    public string Mountpoint { get; init; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether it was made for one container (image VOLUME or a -Volume without a name).</summary>
    public bool Anonymous { get; init; }

    /// <summary>Names of the containers that mount it, in any state.</summary>
    public IReadOnlyList<string> UsedBy { get; init; } = [];

    /// <summary>Bytes of its files; null unless asked for (Get-Volume -Size), since it walks the whole tree.</summary>
    public long? Size { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Name;

    internal static VolumeInfo From(VolumeRecord record, string mountpoint, IReadOnlyList<string> usedBy, long? size) => new()
    {
        Name = record.Name,
        Mountpoint = mountpoint,
        Created = record.Created,
        Labels = record.Labels,
        Anonymous = record.Anonymous,
        UsedBy = usedBy,
        Size = size,
    };
}
