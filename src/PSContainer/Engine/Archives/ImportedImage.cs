using PSContainer.Engine.Images;

namespace PSContainer.Engine.Archives;

/// <summary>An image an import stored (or found stored already).</summary>
/// <param name="Image">The stored image.</param>
/// <param name="Tag">The full tag to show it under, or null when it has none.</param>
internal sealed record ImportedImage(ImageRecord Image, string? Tag);
