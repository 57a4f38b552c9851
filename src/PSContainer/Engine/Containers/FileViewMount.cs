namespace PSContainer.Engine.Containers;

/// <summary>A directory or file mounted into a container, as host-side file operations reach it.</summary>
/// <param name="Target">The absolute path inside the container.</param>
/// <param name="Source">The host path that holds its files; null when the host cannot reach them (tmpfs).</param>
/// <param name="ReadOnly">Whether the container sees it read-only.</param>
internal sealed record FileViewMount(string Target, string? Source, bool ReadOnly);
