using PSContainer.Engine.Content;

namespace PSContainer.Engine.Images;

/// <summary>How far a push has got with one layer: <paramref name="Bytes"/> of <paramref name="Total"/> in the current phase.</summary>
/// <param name="Index">The layer's position, base first, from 0.</param>
/// <param name="Count">How many layers the image has.</param>
/// <param name="Digest">The layer blob's digest (the uncompressed one while compressing).</param>
/// <param name="Phase">What is being done.</param>
/// <param name="Bytes">Bytes read so far in this phase.</param>
/// <param name="Total">Bytes the phase reads in all.</param>
internal sealed record PushProgress(int Index, int Count, Digest Digest, PushPhase Phase, long Bytes, long Total)
{
    /// <summary>Whether the layer is in the repository now.</summary>
    public bool IsDone => Phase is PushPhase.Exists or PushPhase.Mounted or PushPhase.Uploaded;
}
