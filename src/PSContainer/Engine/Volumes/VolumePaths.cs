namespace PSContainer.Engine.Volumes;

/// <summary>The files of one volume: its record and its data directory.</summary>
internal readonly record struct VolumePaths(string Dir)
{
    /// <summary>The record.</summary>
    public string Record => Path.Combine(Dir, "volume.json");

    /// <summary>The directory containers see (Docker's <c>_data</c>).</summary>
    public string Data => Path.Combine(Dir, "_data");
}
