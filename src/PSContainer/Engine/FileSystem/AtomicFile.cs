namespace PSContainer.Engine.FileSystem;

/// <summary>Writes files so that readers see the old content or the new, never a torn one.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes to a temporary sibling, fsyncs it, then renames it over the target. The temporary file is created
    /// with <paramref name="mode"/> when given, so secrets are never readable by others, not even briefly.
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var bytes = content.ToArray();
        Write(path, stream => stream.Write(bytes), mode);
    }

    /// <summary>
    /// Streams a file into place: <paramref name="write"/> fills a temporary sibling, which is fsynced and renamed
    /// over the target only when it returns. Should it throw (or the caller be cancelled), the temporary file goes
    /// and the target is untouched.
    /// </summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null)
    {
        var temp = path + ".tmp-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is { } m && !OperatingSystem.IsWindows())
                options.UnixCreateMode = m;
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes UTF-8 text atomically.</summary>
    public static void WriteAllText(string path, string content) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content));

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
