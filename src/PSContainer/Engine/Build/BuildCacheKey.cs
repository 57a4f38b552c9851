using System.Text;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// The key a step is cached under: its parent state, its instruction after substitution, the build args in
/// effect, and for COPY and ADD the digest of what it copies. Anything else (mtimes, the time of day, the
/// Dockerfile's formatting outside the instruction) does not count.
/// </summary>
internal static class BuildCacheKey
{
    /// <summary>Changes when the builder starts producing different results for the same step, so old records stop matching.</summary>
    private const string BuilderVersion = "2";

    /// <summary>The key, as a digest.</summary>
    public static string For(string parent, string instruction, IEnumerable<KeyValuePair<string, string>> args, string? sources, string platform)
    {
        var text = new StringBuilder();
        text.Append("builder ").Append(BuilderVersion).Append('\n');
        text.Append("parent ").Append(parent).Append('\n');
        text.Append("platform ").Append(platform).Append('\n');
        text.Append("instruction ").Append(instruction.Length).Append(' ').Append(instruction).Append('\n');
        foreach (var (key, value) in args.OrderBy(a => a.Key, StringComparer.Ordinal))
            text.Append("arg ").Append(key.Length).Append(' ').Append(key).Append('=').Append(value.Length).Append(' ').Append(value).Append('\n');
        if (sources is not null) text.Append("sources ").Append(sources).Append('\n');
        return Digest.Of(Encoding.UTF8.GetBytes(text.ToString())).ToString();
    }
}
