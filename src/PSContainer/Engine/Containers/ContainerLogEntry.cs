namespace PSContainer.Engine.Containers;

/// <summary>One line a container wrote.</summary>
public sealed record ContainerLogEntry(DateTimeOffset Time, string Stream, string Text)
{
    /// <summary>Whether the line came from stderr.</summary>
    public bool IsError => Stream == "stderr";

    /// <inheritdoc/>
    public override string ToString() => Text;
}
