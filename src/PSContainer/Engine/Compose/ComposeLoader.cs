namespace PSContainer.Engine.Compose;

/// <summary>
/// Loads a compose application as Docker Compose does: finds the files, reads the environment (.env or
/// -EnvFile, the process environment winning), interpolates each file, merges them in order, names the
/// project, and normalizes the result into a <see cref="ComposeModel"/>.
/// </summary>
internal static class ComposeLoader
{
    /// <summary>The file names looked for in a directory, in Docker Compose's order.</summary>
    public static readonly string[] DefaultFiles = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

    /// <summary>The override file names read after the main file when no file is named.</summary>
    public static readonly string[] OverrideFiles = ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];

    public static ComposeModel Load(ComposeLoadOptions options)
    {
        var files = FindFiles(options);
        var workingDirectory = Path.GetDirectoryName(files[0])!;
        var environment = Environment(options, workingDirectory);
        string? Lookup(string name) => environment.TryGetValue(name, out var value) ? value : null;

        YamlMap Read(string file)
        {
            var tree = (YamlMap)Interpolate(YamlTree.Load(ReadFile(file), file), Lookup, "")!;
            ComposeShapes.Apply(tree, file);
            return tree;
        }
        var trees = new List<YamlMap>();
        foreach (var file in files)
        {
            var tree = Read(file);
            ComposeExtends.Apply(tree, file, Read);
            trees.Add(tree);
        }
        var merged = ComposeMerger.Merge(trees);

        var project = new ComposeModel
        {
            Name = ProjectName(options, merged, Lookup, workingDirectory),
            WorkingDirectory = workingDirectory,
            ConfigFiles = files.ToList(),
        };
        var profiles = options.Profiles.Count > 0 ? options.Profiles
            : (Lookup("COMPOSE_PROFILES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        ComposeNormalizer.Normalize(merged, project, Lookup, profiles.ToHashSet(StringComparer.Ordinal), options.Services);
        foreach (var name in options.Services)
            if (project.Service(name) is null)
                throw new EngineException("ComposeServiceNotFound", EngineErrorKind.NotFound, $"The project has no service '{name}'.", name);
        return project;
    }

    /// <summary>The files to merge: those given (a directory means its default file), else the nearest default file upwards with its override.</summary>
    public static List<string> FindFiles(ComposeLoadOptions options)
    {
        if (options.Paths.Count == 1 && Directory.Exists(Path.GetFullPath(options.Paths[0], options.CurrentDirectory)))
            return Discover(Path.GetFullPath(options.Paths[0], options.CurrentDirectory), upwards: false);
        if (options.Paths.Count > 0)
        {
            var files = new List<string>();
            foreach (var path in options.Paths)
            {
                var full = Path.GetFullPath(path, options.CurrentDirectory);
                if (Directory.Exists(full))
                    throw new EngineException("ComposeFileNotFound", EngineErrorKind.InvalidArgument, $"{full} is a directory; with several -Path values, name the files.", path);
                if (!File.Exists(full))
                    throw new EngineException("ComposeFileNotFound", EngineErrorKind.NotFound, $"Compose file {full} not found.", path);
                files.Add(full);
            }
            return files;
        }
        return Discover(options.CurrentDirectory, upwards: true);
    }

    private static List<string> Discover(string directory, bool upwards)
    {
        for (var dir = directory; dir is not null; dir = upwards ? Path.GetDirectoryName(dir) : null)
        {
            var main = DefaultFiles.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists);
            if (main is null) continue;
            var files = new List<string> { main };
            if (OverrideFiles.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists) is { } overrideFile) files.Add(overrideFile);
            return files;
        }
        throw new EngineException("ComposeFileNotFound", EngineErrorKind.NotFound,
            $"No compose file in {directory}" + (upwards ? " or its parents" : "") + $": looked for {string.Join(", ", DefaultFiles)}.", directory);
    }

    private static string ReadFile(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EngineException("ComposeFileUnreadable", EngineErrorKind.NotFound, $"Cannot read {file}: {ex.Message}", file, ex);
        }
    }

    /// <summary>The interpolation environment: the env files (or .env), then the process environment over them.</summary>
    private static Dictionary<string, string> Environment(ComposeLoadOptions options, string workingDirectory)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Process(string name) => options.Environment.TryGetValue(name, out var v) ? v : null;
        var envFiles = options.EnvFiles.Count > 0
            ? options.EnvFiles.Select(f => Path.GetFullPath(f, options.CurrentDirectory)).ToList()
            : File.Exists(Path.Combine(workingDirectory, ".env")) ? [Path.Combine(workingDirectory, ".env")] : new List<string>();
        foreach (var file in envFiles)
        {
            if (!File.Exists(file))
                throw new EngineException("ComposeEnvFileMissing", EngineErrorKind.NotFound, $"Env file {file} not found.", file);
            foreach (var (key, value) in DotEnvFile.Read(file, name => result.TryGetValue(name, out var v) ? v : Process(name)))
                result[key] = (string?)value ?? "";
        }
        foreach (var (key, value) in options.Environment) result[key] = value;
        return result;
    }

    private static string ProjectName(ComposeLoadOptions options, YamlMap merged, Func<string, string?> lookup, string workingDirectory)
    {
        if (options.ProjectName is { } given) return ComposeNames.ValidateProject(given, "-ProjectName");
        if (lookup("COMPOSE_PROJECT_NAME") is { Length: > 0 } fromEnvironment) return ComposeNames.ValidateProject(fromEnvironment, "COMPOSE_PROJECT_NAME");
        if (ComposeValues.Text(merged.GetValueOrDefault("name"), "name") is { } name) return ComposeNames.ValidateProject(name, "the name: key");
        var fromDirectory = ComposeNames.Normalize(Path.GetFileName(workingDirectory.TrimEnd('/')));
        return fromDirectory.Length > 0 ? fromDirectory
            : throw new EngineException("ComposeProjectNameInvalid", EngineErrorKind.InvalidArgument,
                $"The directory name of {workingDirectory} gives no valid project name; use -ProjectName or a name: key.", workingDirectory);
    }

    /// <summary>Substitutes variables in every value (keys stay as written).</summary>
    private static object? Interpolate(object? value, Func<string, string?> lookup, string path) => value switch
    {
        string text => Interpolator.Apply(text, lookup, path),
        YamlMap map => new YamlMap(map.Select(p => KeyValuePair.Create(p.Key, Interpolate(p.Value, lookup, path.Length == 0 ? p.Key : $"{path}.{p.Key}")))),
        List<object?> list => list.Select((v, i) => Interpolate(v, lookup, $"{path}[{i}]")).ToList(),
        YamlTagged tagged => tagged with { Value = Interpolate(tagged.Value, lookup, path) },
        _ => value,
    };
}
