using PSContainer.Engine.Images;

namespace PSContainer.Engine.Archives;

/// <summary>An image to write into an archive, under the names it should carry there.</summary>
/// <param name="Image">The stored image.</param>
/// <param name="Tags">Full references to name it by; empty to export it unnamed (saved by id).</param>
internal sealed record ImageToExport(ImageRecord Image, IReadOnlyList<string> Tags);
