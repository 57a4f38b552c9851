namespace PSContainer.Engine.Volumes;

/// <summary>A volume as the store keeps it in <c>volumes/&lt;name&gt;/volume.json</c>; its files are in <c>_data</c>.</summary>
internal sealed class VolumeRecord
{
    /// <summary>The volume's name, also its directory name.</summary>
    public string Name { get; set; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; set; }

    /// <summary>Labels given at creation.</summary>
    public Dictionary<string, string> Labels { get; set; } = new();

    /// <summary>Whether it was made for one container (image VOLUME, -Volume /path) rather than named by the user.</summary>
    public bool Anonymous { get; set; }

    /// <summary>
    /// Whether a container has mounted it already: the image content under the mount point is copied into an
    /// empty volume on the first mount only, so emptying it later does not bring the image's files back.
    /// </summary>
    public bool CopiedUp { get; set; }
}
