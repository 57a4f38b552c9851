namespace PSContainer.Engine.Images;

/// <summary>One tag of a repository in a registry, as Find-Image lists them.</summary>
public sealed class RemoteImageTag
{
    /// <summary>The repository in familiar form: "busybox", "127.0.0.1:5000/tools/busybox".</summary>
    public string Repository { get; init; } = "";

    /// <summary>The tag.</summary>
    public string Tag { get; init; } = "";

    /// <summary>Repository:tag, ready for Receive-Image or New-Container.</summary>
    public string Reference { get; init; } = "";
}
