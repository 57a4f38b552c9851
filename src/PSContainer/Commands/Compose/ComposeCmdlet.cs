using System.Collections;
using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>The base of the compose cmdlets: the options that load a project's files, and the runner.</summary>
public abstract class ComposeCmdlet : EngineCmdlet
{
    private ProgressRecord? _progress;

    /// <summary>Env files for interpolation, instead of the project directory's .env.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? EnvFile { get; set; }

    /// <summary>Profiles to enable (services with a profile start only when it is enabled; "*" enables all).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Profile { get; set; }

    /// <summary>Loads the project: <paramref name="paths"/> (files or a directory; none: discover from the current directory).</summary>
    internal ComposeModel Load(string[]? paths, string? projectName, IReadOnlyList<string>? services = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in global::System.Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        var model = ComposeLoader.Load(new ComposeLoadOptions
        {
            Paths = (paths ?? []).Select(p => GetUnresolvedProviderPathFromPSPath(p)).ToList(),
            ProjectName = projectName,
            EnvFiles = (EnvFile ?? []).Select(p => GetUnresolvedProviderPathFromPSPath(p)).ToList(),
            Profiles = Profile ?? [],
            Services = services ?? [],
            CurrentDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            Environment = environment,
        });
        foreach (var warning in model.Warnings) WriteWarning(warning);
        return model;
    }

    /// <summary>A runner whose steps show as progress and verbose lines, and whose remarks as warnings.</summary>
    internal ComposeRunner Runner(string project)
    {
        _progress = new ProgressRecord(Math.Abs(project.GetHashCode() % 100000), $"Compose project {project}", "Starting");
        return new ComposeRunner(Engine.Containers, Engine.Networks, Engine.Volumes, Engine.Images, Engine.ImagePuller, Engine.Builder, step =>
        {
            WriteVerbose(step);
            _progress.StatusDescription = step;
            WriteProgress(_progress);
        }, WriteWarning);
    }

    /// <summary>Closes the progress bar.</summary>
    internal void CompleteProgress()
    {
        if (_progress is null) return;
        _progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(_progress);
    }
}

/// <summary>The base of the cmdlets that act on an existing project: named, or loaded from its files.</summary>
public abstract class ComposeProjectCmdlet : ComposeCmdlet
{
    /// <summary>The project's name; with no -Path, the project is found by its containers' labels alone.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.ComposeProjectNameCompleter))]
    [Alias("ProjectName")]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Compose files or a directory; the default is the compose file of the current directory (when no -Name).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>The project to act on and its model: from the files when -Path is given or -Name is not, else by name alone.</summary>
    internal (string Name, ComposeModel? Model) Target()
    {
        if (Name is not null && Path is null) return (Name, null);
        var model = Load(Path, Name);
        return (model.Name, model);
    }
}
