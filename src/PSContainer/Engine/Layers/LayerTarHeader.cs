using System.Formats.Tar;

namespace PSContainer.Engine.Layers;

/// <summary>One entry as <see cref="PaxTarWriter"/> writes it.</summary>
/// <param name="Name">The path in the layer, without a leading slash; directories end with one.</param>
/// <param name="Type">The entry type.</param>
internal sealed record LayerTarHeader(string Name, TarEntryType Type)
{
    private static readonly SortedDictionary<string, byte[]> NoXattrs = new(StringComparer.Ordinal);

    /// <summary>Permission bits including setuid, setgid and sticky.</summary>
    public uint Mode { get; init; }

    /// <summary>The owner's user id.</summary>
    public long Uid { get; init; }

    /// <summary>The owner's group id.</summary>
    public long Gid { get; init; }

    /// <summary>Seconds since the epoch; layers carry whole seconds so that rebuilds compare equal.</summary>
    public long ModificationTime { get; init; }

    /// <summary>The content length of a regular file; zero for everything else.</summary>
    public long Size { get; init; }

    /// <summary>The target of a symlink or hard link.</summary>
    public string LinkName { get; init; } = "";

    /// <summary>The major number of a device node.</summary>
    public uint DeviceMajor { get; init; }

    /// <summary>The minor number of a device node.</summary>
    public uint DeviceMinor { get; init; }

    /// <summary>Extended attributes by name, with raw values.</summary>
    public IReadOnlyDictionary<string, byte[]> Xattrs { get; init; } = NoXattrs;
}
