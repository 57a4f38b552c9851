namespace PSContainer.Tests.Support;

/// <summary>A temporary directory under /tmp, removed on dispose.</summary>
internal sealed class ScratchDir : IDisposable
{
    public ScratchDir(string prefix = "pscontainer-unit-") =>
        Root = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    /// <summary>Writes a file, creating its parent directories.</summary>
    public string Write(string relative, string content)
    {
        var path = this[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Creates a directory (and its parents).</summary>
    public string Dir(string relative) => Directory.CreateDirectory(this[relative]).FullName;

    /// <summary>Every entry below <paramref name="relative"/>, recursively, relative to it and sorted.</summary>
    public string[] Entries(string relative = "")
    {
        var dir = this[relative];
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(dir, p))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
