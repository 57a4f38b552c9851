using PSContainer.Engine.Content;

namespace PSContainer.Engine.Archives;

/// <summary>A layer of an image in an archive: where its blob is and what it must be.</summary>
/// <param name="Member">The tar member holding the blob (links resolved).</param>
/// <param name="DiffId">The digest of the uncompressed tar, from the image config.</param>
/// <param name="Digest">The blob digest the archive promises, when it promises one.</param>
/// <param name="Size">The blob size a descriptor promises, when one does.</param>
/// <param name="MediaType">The media type a descriptor gives, when one does; else the blob's bytes decide.</param>
internal sealed record ArchivedLayer(string Member, string DiffId, Digest? Digest, long? Size, string? MediaType);
