namespace PSContainer.Engine.Containers;

/// <summary>
/// Where <c>docker cp</c> puts what it copies. A source path ending in "/." means its contents; a destination
/// ending in "/" must be a directory. An existing directory receives the source under its own name; a
/// missing destination becomes the copy, if its parent exists; a file is replaced by a file, never by a directory.
/// </summary>
/// <param name="Path">The path the source is copied to.</param>
/// <param name="ContentsOnly">Whether only the source directory's children go into <see cref="Path"/>, which exists.</param>
internal readonly record struct CopyPlan(string Path, bool ContentsOnly)
{
    /// <summary>
    /// Decides where a copy goes. <paramref name="sourceName"/> is the source's last path component ("" for a root),
    /// <paramref name="display"/> names the destination in errors.
    /// </summary>
    public static CopyPlan Decide(bool sourceIsDirectory, bool sourceContentsOnly, string sourceName,
        string destination, CopyDestination found, bool destinationMustBeDirectory, bool parentExists, string display)
    {
        switch (found)
        {
            case CopyDestination.Directory:
                if (sourceIsDirectory && (sourceContentsOnly || sourceName.Length == 0))
                    return new CopyPlan(destination, ContentsOnly: true);
                return new CopyPlan(destination.TrimEnd('/') + "/" + sourceName, ContentsOnly: false);
            case CopyDestination.Other:
                if (sourceIsDirectory)
                    throw Error("CannotCopyDirectoryOverFile", EngineErrorKind.InvalidArgument, $"Cannot copy a directory over the file {display}.", display);
                if (destinationMustBeDirectory)
                    throw Error("DestinationNotDirectory", EngineErrorKind.InvalidArgument, $"{display} is not a directory.", display);
                return new CopyPlan(destination, ContentsOnly: false);
            default:
                if (!parentExists)
                    throw Error("CopyDestinationNotFound", EngineErrorKind.NotFound, $"The parent directory of {display} does not exist.", display);
                if (destinationMustBeDirectory && !sourceIsDirectory)
                    throw Error("CopyDestinationNotFound", EngineErrorKind.NotFound, $"The directory {display} does not exist.", display);
                return new CopyPlan(destination, ContentsOnly: false);
        }
    }

    /// <summary>Whether a path asks for a directory's contents ("dir/.").</summary>
    public static bool MeansContents(string path) => path == "." || path.EndsWith("/.", StringComparison.Ordinal);

    /// <summary>Whether a path insists on a directory ("dir/" or "dir/.").</summary>
    public static bool MeansDirectory(string path) => path.EndsWith('/') || MeansContents(path);

    /// <summary>The name a copied entry keeps: the last component as the user wrote it, else as it resolved.</summary>
    public static string NameOf(string path, string resolved)
    {
        var name = System.IO.Path.GetFileName(path.TrimEnd('/'));
        return name is "" or "." or ".." ? System.IO.Path.GetFileName(resolved.TrimEnd('/')) : name;
    }

    private static EngineException Error(string id, EngineErrorKind kind, string message, string target) => new(id, kind, message, target);
}
