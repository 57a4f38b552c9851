namespace PSContainer.Engine.FileSystem;

/// <summary>Removal of whole directory trees in the store.</summary>
internal static class DirectoryTree
{
    /// <summary>Deletes a tree without following symlinks out of it; an absent tree is fine.</summary>
    public static void Delete(string path)
    {
        if (!Directory.Exists(path)) return;
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new EngineException("DeleteFailed", EngineErrorKind.PermissionDenied, $"Cannot delete {path}: {ex.Message}", path, ex);
        }
    }
}
