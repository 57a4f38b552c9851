namespace PSContainer.Engine.Images;

/// <summary>
/// What containers hold of the images they were made from, as the container store records it. Images asks
/// through this, never for container records: an image in use is not removed, its layers are not collected.
/// </summary>
internal interface IImageUsers
{
    /// <summary>The names of the containers created from the image <paramref name="imageId"/>.</summary>
    IReadOnlyList<string> ContainersUsing(string imageId);

    /// <summary>The ChainIDs of every layer a container's root filesystem stacks.</summary>
    IEnumerable<string> LayersInUse();
}
