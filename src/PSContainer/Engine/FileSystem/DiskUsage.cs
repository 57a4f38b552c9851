namespace PSContainer.Engine.FileSystem;

/// <summary>Sizes of directory trees, counting each file once and never following symlinks.</summary>
internal static class DiskUsage
{
    /// <summary>The bytes of regular files under <paramref name="path"/>.</summary>
    public static long Of(string path)
    {
        if (!Directory.Exists(path)) return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        long total = 0;
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", options))
            total += file.Length;
        return total;
    }
}
