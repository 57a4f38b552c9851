using PSContainer.Engine.Content;

namespace PSContainer.Engine.Archives;

/// <summary>
/// Member names inside image archives. "./a//b" and "a/b" name one member; a name that is absolute or has a
/// ".." component could only be meant to escape wherever the archive is unpacked, and is refused.
/// </summary>
internal static class ArchivePath
{
    /// <summary>The hops a chain of links may take before it counts as a loop (Linux's MAXSYMLINKS).</summary>
    public const int MaxLinkHops = 40;

    /// <summary>The normalized form of a member name or of a path a manifest refers to; null when it is unsafe.</summary>
    public static string? Normalize(string name)
    {
        if (name.StartsWith('/') || name.Contains('\0'))
            return null;
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
                return null;
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>
    /// The member a link points at: a symlink's target is taken from the link's directory, a hard link's from the
    /// archive root, as tar does. ".." may walk back up but never above the root; null when it would.
    /// </summary>
    public static string? LinkTarget(string member, string target, bool symbolic)
    {
        if (target.StartsWith('/') || target.Contains('\0'))
            return null;
        var parts = new List<string>();
        if (symbolic)
            parts.AddRange(member.Split('/')[..^1]);
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    return null;
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>The member name of a blob in an OCI layout.</summary>
    public static string OfBlob(Digest digest) => "blobs/" + digest.Algorithm + "/" + digest.Hex;

    /// <summary>The digest a member's name promises: <c>blobs/sha256/&lt;hex&gt;</c> in an OCI layout; null for other names.</summary>
    public static Digest? DigestOf(string member) =>
        member.StartsWith("blobs/sha256/", StringComparison.Ordinal) && Digest.TryParse("sha256:" + member["blobs/sha256/".Length..], out var digest)
            ? digest
            : null;

    /// <summary>The error for a name that is absolute or climbs out of the archive.</summary>
    public static EngineException Unsafe(string name) =>
        new("UnsafeArchivePath", EngineErrorKind.InvalidData,
            $"The archive names '{name}', a path that is absolute or climbs out of the archive; such archives are refused.", name);
}
