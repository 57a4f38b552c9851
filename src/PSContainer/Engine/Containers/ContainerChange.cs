namespace PSContainer.Engine.Containers;

/// <summary>One path the container's writable layer added, changed or deleted (a line of <c>docker diff</c>).</summary>
public sealed class ContainerChange
{
    /// <summary>Added, changed or deleted.</summary>
    public ContainerChangeKind Kind { get; init; }

    /// <summary>The absolute path inside the container.</summary>
    public string Path { get; init; } = "";

    /// <summary>Docker's letter for <see cref="Kind"/>: A, C or D.</summary>
    public string Letter => Kind switch
    {
        ContainerChangeKind.Added => "A",
        ContainerChangeKind.Deleted => "D",
        _ => "C",
    };

    /// <inheritdoc/>
    public override string ToString() => Letter + " " + Path;
}
