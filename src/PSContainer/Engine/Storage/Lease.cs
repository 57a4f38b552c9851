using PSContainer.Engine.Interop;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Storage;

/// <summary>
/// Protects content a live operation is still assembling (a pull's layers and blobs) from garbage collection
/// before an image refers to it. A lease is a file in <c>tmp/</c> named for its writer's pid, so the lease of
/// a killed process stops counting by itself.
/// </summary>
internal sealed class Lease : IDisposable
{
    private const string Kind = "lease";
    private readonly string _path;

    private Lease(string path) => _path = path;

    /// <summary>Takes a lease on the given ChainIDs and digests.</summary>
    public static Lease Take(StoreLayout layout, IEnumerable<string> keys)
    {
        var path = Path.Combine(layout.TempDir, TempName.For(Kind));
        AtomicFile.WriteAllText(path, string.Join('\n', keys));
        return new Lease(path);
    }

    /// <summary>Everything held by leases whose writers are alive.</summary>
    public static HashSet<string> Held(StoreLayout layout)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(layout.TempDir, Kind + "-*"))
        {
            var parts = Path.GetFileName(file).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[1], out var pid) || !Libc.ProcessExists(pid)) continue;
            try { held.UnionWith(File.ReadAllLines(file)); }
            catch (FileNotFoundException) { }
        }
        return held;
    }

    /// <summary>Releases the lease.</summary>
    public void Dispose() => File.Delete(_path);
}
