namespace PSContainer.Engine.Containers;

/// <summary>What a copy finds at its destination path, as <c>docker cp</c> distinguishes it.</summary>
internal enum CopyDestination
{
    /// <summary>Nothing is there.</summary>
    Missing,

    /// <summary>A directory: the source goes into it.</summary>
    Directory,

    /// <summary>Anything else: a directory source is refused, anything else replaces it.</summary>
    Other,
}
