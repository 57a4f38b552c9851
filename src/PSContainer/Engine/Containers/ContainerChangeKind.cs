namespace PSContainer.Engine.Containers;

/// <summary>How a path differs from the image (the letters of <c>docker diff</c>), in Docker's numeric order.</summary>
public enum ContainerChangeKind
{
    /// <summary>C: the image has it and the container changed it.</summary>
    Changed,

    /// <summary>A: the container added it.</summary>
    Added,

    /// <summary>D: the container deleted it.</summary>
    Deleted,
}
