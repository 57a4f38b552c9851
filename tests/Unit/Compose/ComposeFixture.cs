using PSContainer.Engine.Compose;

namespace PSContainer.Tests.Compose;

/// <summary>Loads the compose files under Fixtures/ with a fixed environment, so no test sees the machine's.</summary>
internal static class ComposeFixture
{
    public static string Dir(string name) => Path.Combine(AppContext.BaseDirectory, "Compose", "Fixtures", name);

    public static ComposeModel Load(string name, Dictionary<string, string>? environment = null, string[]? profiles = null, string? projectName = null) =>
        ComposeLoader.Load(new ComposeLoadOptions
        {
            Paths = [Dir(name)],
            Environment = environment ?? new Dictionary<string, string>(),
            Profiles = profiles ?? [],
            ProjectName = projectName,
            CurrentDirectory = Dir(name),
        });

    /// <summary>Loads one YAML text written to a fresh directory named <paramref name="directory"/>.</summary>
    public static ComposeModel FromText(string yaml, string directory = "app", Dictionary<string, string>? environment = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "psc-compose-" + Guid.NewGuid().ToString("N")[..8], directory);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "compose.yaml"), yaml);
            return ComposeLoader.Load(new ComposeLoadOptions { Paths = [dir], Environment = environment ?? new Dictionary<string, string>(), CurrentDirectory = dir });
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }
}
