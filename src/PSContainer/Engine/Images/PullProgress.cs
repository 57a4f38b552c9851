using PSContainer.Engine.Content;

namespace PSContainer.Engine.Images;

/// <summary>How far one layer of a pull has come.</summary>
public sealed record PullProgress(int Layer, int LayerCount, string Digest, long BytesDone, long BytesTotal, string Status);
