using System.Text;

namespace PSContainer.Engine.Layers;

/// <summary>Turns tar entry names into clean paths relative to the layer root.</summary>
internal static class LayerEntryName
{
    /// <summary>The longest name accepted; PATH_MAX, since the kernel would refuse anything longer anyway.</summary>
    public const int MaxBytes = 4096;

    /// <summary>
    /// Strips leading <c>/</c> and <c>./</c>, drops <c>.</c> and empty components and folds <c>..</c>;
    /// returns "" for the layer root. A name that climbs above the root is refused, not clamped:
    /// no honest layer has one.
    /// </summary>
    public static string Normalize(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) > MaxBytes)
            throw Unsafe(name[..64] + "…", $"is longer than {MaxBytes} bytes");
        if (name.Contains('\0'))
            throw Unsafe(name, "contains a NUL character");
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw Unsafe(name, "climbs out of the layer");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>The error for a layer path that could reach outside the layer.</summary>
    public static EngineException Unsafe(string name, string reason) =>
        new("UnsafeLayerPath", EngineErrorKind.InvalidData, $"Layer entry '{name}' {reason}.", name);
}
