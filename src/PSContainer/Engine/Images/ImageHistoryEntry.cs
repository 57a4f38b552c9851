namespace PSContainer.Engine.Images;

/// <summary>One step of an image's history, as <c>docker history</c> shows it; newest first.</summary>
public sealed class ImageHistoryEntry
{
    /// <summary>The image id on the newest entry; "&lt;missing&gt;" on the others, as Docker shows them.</summary>
    public string Id { get; init; } = "<missing>";

    /// <summary>The image the history belongs to.</summary>
    public string ImageId { get; init; } = "";

    /// <summary>When the step ran, when the image says.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>The instruction or command that made the step.</summary>
    public string CreatedBy { get; init; } = "";

    /// <summary>Unpacked size of the layer the step made, in bytes; 0 for an empty layer.</summary>
    public long Size { get; init; }

    /// <summary>Whether the step changed only the config.</summary>
    public bool EmptyLayer { get; init; }

    /// <summary>The step's comment.</summary>
    public string? Comment { get; init; }

    /// <summary>The diff id of the step's layer, or null for an empty layer.</summary>
    public string? LayerDiffId { get; init; }
}
