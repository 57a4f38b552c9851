namespace PSContainer.Engine.References;

/// <summary>Placeholder normalization; replaced by the full parser.</summary>
internal sealed class ImageReference
{
    public string Registry { get; private init; } = "docker.io";
    public string Repository { get; private init; } = "";
    public string? Tag { get; private init; }
    public string? Digest { get; private init; }
    public string FullName => $"{Registry}/{Repository}" + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
    public string RepositoryName => $"{Registry}/{Repository}";
    public string FamiliarName => FullName.StartsWith("docker.io/library/") ? FullName[18..] : FullName.StartsWith("docker.io/") ? FullName[10..] : FullName;

    public static ImageReference Parse(string text)
    {
        var name = text;
        string? tag = null;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/')) { tag = name[(colon + 1)..]; name = name[..colon]; }
        var parts = name.Split('/');
        string registry = "docker.io";
        if (parts.Length > 1 && (parts[0].Contains('.') || parts[0].Contains(':') || parts[0] == "localhost")) { registry = parts[0]; name = string.Join('/', parts[1..]); }
        else if (parts.Length == 1) name = "library/" + name;
        if (name.Any(char.IsUpper) || name.Length == 0) throw new EngineException("InvalidReference", EngineErrorKind.InvalidArgument, $"Invalid reference '{text}'.", text);
        return new ImageReference { Registry = registry, Repository = name, Tag = tag ?? "latest" };
    }
}
