namespace PSContainer.Engine.Containers;

/// <summary>A path in a container, resolved.</summary>
/// <param name="Logical">The path as the container sees it, absolute and free of symlinks and "..".</param>
/// <param name="Physical">Where the host finds it: under the container's rootfs or under a mount's source.</param>
/// <param name="Mount">The mount it lies in, or null when it is in the root filesystem.</param>
internal readonly record struct ContainerFilePath(string Logical, string Physical, FileViewMount? Mount);
