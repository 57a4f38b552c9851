namespace PSContainer.Engine.Containers;

/// <summary>One line a container wrote.</summary>
public sealed record ContainerLogEntry(DateTimeOffset Time, string Stream, string Text)
{
    /// <summary>The stream name of standard output.</summary>
    public const string Stdout = "stdout";

    /// <summary>The stream name of standard error.</summary>
    public const string Stderr = "stderr";

    /// <summary>The name of the container that wrote the line (set when it is known).</summary>
    public string Container { get; init; } = "";

    /// <summary>Whether the line came from stderr.</summary>
    public bool IsError => Stream == Stderr;

    /// <inheritdoc/>
    public override string ToString() => Text;
}
