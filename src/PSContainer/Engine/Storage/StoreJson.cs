using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Storage;

/// <summary>Reads and atomically writes the store's JSON records.</summary>
internal static class StoreJson
{
    /// <summary>Reads a record; a missing or unreadable record is reported as corrupt store state.</summary>
    public static T Read<T>(string path, JsonTypeInfo<T> type)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, type)
                ?? throw new JsonException("empty document");
        }
        catch (Exception ex) when (ex is JsonException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EngineException("CorruptStoreRecord", EngineErrorKind.InvalidData, $"Store record {path} is unreadable: {ex.Message}", path, ex);
        }
    }

    /// <summary>Reads a record, or returns default when it is absent or unreadable.</summary>
    public static T? TryRead<T>(string path, JsonTypeInfo<T> type)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, type);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    /// <summary>A deep copy, through JSON, so that a change can be validated before it is kept.</summary>
    public static T Clone<T>(T value, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value, type), type)!;

    /// <summary>Writes a record atomically (temp file, fsync, rename).</summary>
    public static void Write<T>(string path, T value, JsonTypeInfo<T> type) =>
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(value, type));
}
