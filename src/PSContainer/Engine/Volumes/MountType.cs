namespace PSContainer.Engine.Volumes;

/// <summary>What a container mount brings in.</summary>
public enum MountType
{
    /// <summary>A volume from the store (named or anonymous).</summary>
    Volume,

    /// <summary>A file or directory of the host.</summary>
    Bind,

    /// <summary>A fresh in-memory file system.</summary>
    Tmpfs,
}
