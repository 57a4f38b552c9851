namespace PSContainer.Engine.Compose;

/// <summary>The engine failures of loading and running compose projects, with their stable ids.</summary>
internal static class ComposeErrors
{
    public static EngineException Invalid(string file, string reason) =>
        new("ComposeFileInvalid", EngineErrorKind.InvalidData, $"{file}: {reason}", file);

    public static EngineException InvalidValue(string path, string reason) =>
        new("ComposeValueInvalid", EngineErrorKind.InvalidArgument, $"{path}: {reason}", path);

    public static EngineException UnknownKeys(IReadOnlyList<string> keys) =>
        new("ComposeKeyUnknown", EngineErrorKind.InvalidArgument,
            $"The compose file has key(s) that the Compose Specification does not define: {string.Join(", ", keys)}.", keys[0]);

    public static EngineException Unsupported(IReadOnlyList<string> keys) =>
        new("ComposeKeyUnsupported", EngineErrorKind.InvalidArgument,
            $"The project uses key(s) that PSContainer cannot honour yet: {string.Join(", ", keys)}. Remove them, or run Get-ComposeConfig to see the project as loaded.", keys[0]);

    public static EngineException Interpolation(string path, string reason) =>
        new("ComposeInterpolationFailed", EngineErrorKind.InvalidArgument, $"{path}: {reason}", path);

    public static EngineException ServiceFailed(string service, string reason, Exception? inner = null) =>
        new("ComposeServiceFailed", EngineErrorKind.ExternalFailure, $"Service '{service}': {reason}", service, inner);
}
