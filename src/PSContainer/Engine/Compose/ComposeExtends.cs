namespace PSContainer.Engine.Compose;

/// <summary>
/// Resolves <c>extends</c> in one file: a service takes another service's configuration (from the same file
/// or from <c>file:</c>) and merges its own over it by the usual merge rules. A base from another file has its
/// relative paths (build context, bind sources, env_file) made absolute against that file's directory first.
/// </summary>
internal static class ComposeExtends
{
    /// <summary>Reads another compose file into the shapes the merge works on (interpolated, list-or-map keys as maps).</summary>
    public delegate YamlMap FileReader(string path);

    public static void Apply(YamlMap file, string source, FileReader read)
    {
        if (file.GetValueOrDefault("services") is not YamlMap services) return;
        foreach (var name in services.Keys.ToList())
            services[name] = Resolve(services, name, source, read, []);
    }

    private static object? Resolve(YamlMap services, string name, string source, FileReader read, List<string> chain)
    {
        if (services.GetValueOrDefault(name) is not YamlMap service || service.GetValueOrDefault("extends") is not { } extends) return services.GetValueOrDefault(name);
        var path = $"services.{name}.extends";
        var (file, baseName) = extends switch
        {
            string s => (null, s),
            YamlMap m => (ComposeValues.Text(m.GetValueOrDefault("file"), path + ".file"),
                ComposeValues.Text(m.GetValueOrDefault("service"), path + ".service") ?? throw ComposeErrors.InvalidValue(path, "needs the service to extend.")),
            _ => throw ComposeErrors.InvalidValue(path, "must be a service name or a mapping with service and file."),
        };
        var baseSource = file is null ? source : Path.GetFullPath(file, Path.GetDirectoryName(source)!);
        var link = $"{baseSource}:{baseName}";
        if (chain.Contains(link))
            throw ComposeErrors.InvalidValue(path, $"extends cycle: {string.Join(" -> ", chain.Append(link))}.");
        var baseServices = file is null ? services : read(baseSource).GetValueOrDefault("services") as YamlMap
            ?? throw ComposeErrors.InvalidValue(path, $"{baseSource} has no services.");
        if (!baseServices.ContainsKey(baseName))
            throw ComposeErrors.InvalidValue(path, $"service '{baseName}' is not defined in {baseSource}.");
        var baseService = Resolve(baseServices, baseName, baseSource, read, [.. chain, link]) as YamlMap ?? new YamlMap();
        if (file is not null) baseService = Rebase(baseService, Path.GetDirectoryName(baseSource)!);
        var own = new YamlMap(service.Where(p => p.Key != "extends"));
        var merged = ComposeMerger.Merge([
            new YamlMap { ["services"] = new YamlMap { [name] = new YamlMap(baseService) } },
            new YamlMap { ["services"] = new YamlMap { [name] = own } },
        ]);
        return ((YamlMap)merged["services"]!)[name];
    }

    /// <summary>The base service with its relative paths made absolute against <paramref name="directory"/>.</summary>
    private static YamlMap Rebase(YamlMap service, string directory)
    {
        var copy = new YamlMap(service);
        string Absolute(string path) => path.StartsWith('~') ? path : Path.GetFullPath(path, directory);
        if (copy.GetValueOrDefault("build") is YamlMap build)
            copy["build"] = new YamlMap(build) { ["context"] = Absolute(build.GetValueOrDefault("context") as string ?? ".") };
        if (copy.GetValueOrDefault("volumes") is List<object?> volumes)
            copy["volumes"] = volumes.Select(v => v is YamlMap { } m && m.GetValueOrDefault("type") is "bind" && m.GetValueOrDefault("source") is string src
                ? new YamlMap(m) { ["source"] = Absolute(src) } : v).ToList();
        if (copy.GetValueOrDefault("env_file") is List<object?> envFiles)
            copy["env_file"] = envFiles.Select(e => e switch
            {
                string s => Absolute(s),
                YamlMap m when m.GetValueOrDefault("path") is string p => new YamlMap(m) { ["path"] = Absolute(p) },
                _ => e,
            }).ToList();
        return copy;
    }
}
