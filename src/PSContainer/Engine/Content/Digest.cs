using System.Security.Cryptography;

namespace PSContainer.Engine.Content;

/// <summary>A content digest of the form <c>sha256:&lt;64 hex&gt;</c>; only sha256 is stored.</summary>
public readonly record struct Digest(string Algorithm, string Hex)
{
    /// <summary>Parses and validates a digest string.</summary>
    public static Digest Parse(string value)
    {
        if (!TryParse(value, out var digest))
            throw new EngineException("InvalidDigest", EngineErrorKind.InvalidData, $"'{value}' is not a valid sha256 digest.", value);
        return digest;
    }

    /// <summary>Parses a digest string, returning false when it is not a sha256 digest.</summary>
    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null || !value.StartsWith("sha256:", StringComparison.Ordinal) || value.Length != 71)
            return false;
        var hex = value.AsSpan(7);
        foreach (var c in hex)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                return false;
        digest = new Digest("sha256", hex.ToString());
        return true;
    }

    /// <summary>The digest of a byte span.</summary>
    public static Digest Of(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>The digest a finished incremental hash produced.</summary>
    public static Digest From(IncrementalHash hash) =>
        new("sha256", Convert.ToHexStringLower(hash.GetHashAndReset()));

    /// <inheritdoc/>
    public override string ToString() => Algorithm + ":" + Hex;
}
