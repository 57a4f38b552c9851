using PSContainer.Engine.Interop;

namespace PSContainer.Engine.FileSystem;

/// <summary>
/// Names for staging files and directories under <c>tmp/</c>. The name carries the writer's pid so a
/// repair can tell the leftovers of a dead process from work another live process is doing.
/// </summary>
internal static class TempName
{
    /// <summary>A fresh name: <c>&lt;kind&gt;-&lt;pid&gt;-&lt;random&gt;</c>.</summary>
    public static string For(string kind) => $"{kind}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Deletes entries in <paramref name="tempDir"/> whose writer process is gone.</summary>
    public static void RemoveOrphans(string tempDir)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(tempDir))
        {
            var parts = Path.GetFileName(entry).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[1], out var pid)) continue;
            if (pid == Environment.ProcessId || Libc.ProcessExists(pid)) continue;
            if (Directory.Exists(entry)) DirectoryTree.Delete(entry);
            else File.Delete(entry);
        }
    }
}
