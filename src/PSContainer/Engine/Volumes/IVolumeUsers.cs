namespace PSContainer.Engine.Volumes;

/// <summary>
/// Which containers mount which volumes, as the container store records it. Volumes asks through this, never
/// for container records: a volume in use is not removed or pruned.
/// </summary>
internal interface IVolumeUsers
{
    /// <summary>Volume name → names of the containers that mount it, leaving out the container <paramref name="exceptId"/>.</summary>
    Dictionary<string, List<string>> ByVolume(string? exceptId = null);
}
