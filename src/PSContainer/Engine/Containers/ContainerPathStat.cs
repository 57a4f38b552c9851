namespace PSContainer.Engine.Containers;

/// <summary>What a path in a container is (docker cp's stat): name, size, mode bits with the file type, mtime and link target.</summary>
internal sealed record ContainerPathStat(string Name, long Size, uint Mode, DateTimeOffset Modified, string LinkTarget, bool IsDirectory);
