namespace PSContainer.Engine.Archives;

/// <summary>A file or link in an image archive.</summary>
/// <param name="Name">The normalized member name.</param>
/// <param name="Size">The content length; zero for links.</param>
/// <param name="LinkTarget">The link target as the tar header has it, or null for a regular file.</param>
/// <param name="IsSymbolic">Whether the link is a symlink (else a hard link).</param>
internal sealed record ArchiveMember(string Name, long Size, string? LinkTarget, bool IsSymbolic);
