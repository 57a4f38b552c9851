namespace PSContainer.Engine.Volumes;

/// <summary>One mount a container was created with (-Volume, -Mount or an image VOLUME).</summary>
internal sealed class MountSetting
{
    /// <summary>What is mounted.</summary>
    public MountType Type { get; set; }

    /// <summary>The volume name or the absolute host path; null for tmpfs and for an anonymous volume not yet named.</summary>
    public string? Source { get; set; }

    /// <summary>The absolute, clean path inside the container.</summary>
    public string Target { get; set; } = "";

    /// <summary>Whether the container may only read it.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Whether an empty volume stays empty instead of being filled from the image (volume-nocopy).</summary>
    public bool NoCopy { get; set; }

    /// <summary>Whether the volume was made for this container and goes when it is removed with its volumes.</summary>
    public bool Anonymous { get; set; }

    /// <summary>The size limit of a tmpfs in bytes; null: the kernel's default (half the RAM).</summary>
    public long? TmpfsSize { get; set; }

    /// <summary>The permission bits of a tmpfs root; null: 1777, as Docker.</summary>
    public uint? TmpfsMode { get; set; }
}
