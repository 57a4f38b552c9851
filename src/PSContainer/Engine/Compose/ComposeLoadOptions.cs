namespace PSContainer.Engine.Compose;

/// <summary>What to load: the cmdlets' -Path, -ProjectName, -EnvFile, -Profile and -Service.</summary>
internal sealed class ComposeLoadOptions
{
    /// <summary>Compose files or a directory; empty: discover from <see cref="CurrentDirectory"/> upwards.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    public string? ProjectName { get; init; }

    /// <summary>Env files instead of the project directory's <c>.env</c>.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>Services named on the command line: enabled whatever their profiles.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The process environment; it wins over env files, as in Docker Compose.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
