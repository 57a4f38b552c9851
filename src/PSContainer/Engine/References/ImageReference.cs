using System.Text.RegularExpressions;
using PSContainer.Engine.Content;

namespace PSContainer.Engine.References;

/// <summary>
/// An image reference normalized exactly as Docker does it (distribution/reference): <c>ubuntu</c> is
/// <c>docker.io/library/ubuntu:latest</c>. A bare 64-hex string is an image id, not a reference, and is
/// rejected so that ids and names cannot be confused.
/// </summary>
internal sealed partial class ImageReference : IEquatable<ImageReference>
{
    /// <summary>The registry a name without a host refers to.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The tag a name without tag or digest gets.</summary>
    public const string DefaultTag = "latest";

    private const string LegacyDockerHub = "index.docker.io";
    private const string DockerHubApiHost = "registry-1.docker.io";
    private const string OfficialPrefix = "library/";
    private const int NameMaxLength = 255;

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host, with port if given: "docker.io", "localhost:5000".</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry: "library/ubuntu".</summary>
    public string Repository { get; }

    /// <summary>The tag, or null when the reference is pinned by digest only.</summary>
    public string? Tag { get; }

    /// <summary>The digest the reference is pinned to, if any.</summary>
    public Digest? Digest { get; }

    /// <summary>The host the registry API is served from; Docker Hub's differs from its name.</summary>
    public string ApiHost => ApiHostFor(Registry);

    /// <summary>Registry and repository without tag or digest: "docker.io/library/ubuntu".</summary>
    public string Name => Registry + "/" + Repository;

    /// <summary>What to ask the manifests endpoint for: the digest when pinned, else the tag.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag!;

    /// <summary>The canonical form: "docker.io/library/ubuntu:latest".</summary>
    public string FullName => Name + Suffix;

    /// <summary>The form Docker shows: "ubuntu:latest", "user/app:1", "ghcr.io/org/app:1.2".</summary>
    public string FamiliarName
    {
        get
        {
            if (Registry != DockerHub)
                return FullName;
            var path = Repository;
            if (path.StartsWith(OfficialPrefix, StringComparison.Ordinal) && !path.AsSpan(OfficialPrefix.Length).Contains('/'))
                path = path[OfficialPrefix.Length..];
            return path + Suffix;
        }
    }

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is { } d ? "@" + d : "");

    /// <summary>The host that serves a registry's API: "registry-1.docker.io" for "docker.io", else the registry itself.</summary>
    public static string ApiHostFor(string registry) => registry is DockerHub or LegacyDockerHub ? DockerHubApiHost : registry;

    /// <summary>
    /// Parses and normalizes a reference; throws "InvalidReference" when it is malformed. A bare 64-hex string
    /// is rejected too (the message says it looks like an image id): look ids up before parsing names.
    /// </summary>
    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var error)
            ? reference
            : throw new EngineException("InvalidReference", EngineErrorKind.InvalidArgument, error, text);

    /// <summary>Parses and normalizes a reference, returning false when it is malformed.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ImageReference? reference) =>
        TryParse(text, out reference, out _);

    private static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ImageReference? reference, out string error)
    {
        reference = null;
        error = Validate(text, out var registry, out var path, out var tag, out var digest) ?? "";
        if (error.Length > 0)
            return false;
        reference = new ImageReference(registry, path, tag ?? (digest is null ? DefaultTag : null), digest);
        return true;
    }

    private static string? Validate(string? text, out string registry, out string path, out string? tag, out Digest? digest)
    {
        registry = path = "";
        tag = null;
        digest = null;
        if (string.IsNullOrEmpty(text))
            return "An image reference must not be empty.";
        if (IdPattern().IsMatch(text))
            return $"'{text}' looks like an image id, not a reference; 64-hex strings cannot be repository names.";

        var remainder = SplitRegistry(text, out registry);
        var at = remainder.IndexOf('@');
        if (at >= 0)
        {
            var digestText = remainder[(at + 1)..];
            if (!Content.Digest.TryParse(digestText, out var parsed))
                return $"Invalid reference '{text}': '{digestText}' is not a sha256 digest (sha256: followed by 64 lowercase hex digits).";
            digest = parsed;
            remainder = remainder[..at];
        }
        var colon = remainder.IndexOf(':');
        path = colon >= 0 ? remainder[..colon] : remainder;
        if (colon >= 0)
            tag = remainder[(colon + 1)..];

        if (!path.Equals(path.ToLowerInvariant(), StringComparison.Ordinal))
            return $"Invalid reference '{text}': repository name '{path}' must be lowercase.";
        if (!HostPattern().IsMatch(registry))
            return $"Invalid reference '{text}': '{registry}' is not a valid registry host.";
        if (!PathPattern().IsMatch(path))
            return $"Invalid reference '{text}': '{path}' is not a valid repository path (lowercase letters and digits, separated by '.', '_', '__' or dashes, components joined by '/').";
        if (tag is not null && !TagPattern().IsMatch(tag))
            return $"Invalid reference '{text}': '{tag}' is not a valid tag (letters, digits, '_', '.', '-'; at most 128 characters, not starting with '.' or '-').";
        if (registry.Length + 1 + path.Length > NameMaxLength)
            return $"Invalid reference '{text}': the repository name is longer than {NameMaxLength} characters.";
        return null;
    }

    // The first component names a registry only if it looks like a host; "user/app" is a Hub user.
    private static string SplitRegistry(string text, out string registry)
    {
        var slash = text.IndexOf('/');
        string remainder;
        if (slash < 0 || !LooksLikeHost(text[..slash]))
        {
            registry = DockerHub;
            remainder = text;
        }
        else
        {
            registry = text[..slash];
            remainder = text[(slash + 1)..];
        }
        if (registry == LegacyDockerHub)
            registry = DockerHub;
        if (registry == DockerHub && !remainder.Contains('/'))
            remainder = OfficialPrefix + remainder;
        return remainder;
    }

    private static bool LooksLikeHost(string component) =>
        component.Contains('.') || component.Contains(':') || component == "localhost" ||
        !component.Equals(component.ToLowerInvariant(), StringComparison.Ordinal);

    /// <inheritdoc/>
    public bool Equals(ImageReference? other) => other is not null && other.FullName == FullName;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    /// <inheritdoc/>
    public override int GetHashCode() => FullName.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => FullName;

    [GeneratedRegex(@"^[a-f0-9]{64}\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?\z")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex TagPattern();
}
