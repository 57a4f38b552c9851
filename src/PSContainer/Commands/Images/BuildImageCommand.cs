using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Build;
using PSContainer.Engine.Images;

namespace PSContainer.Commands.Images;

/// <summary>
/// Builds an image from a Dockerfile (or Containerfile), like <c>docker build</c>: one layer per RUN, COPY and
/// ADD, unchanged steps reused from the build cache, multi-stage builds reduced to the stages the target needs.
/// </summary>
[Cmdlet("Build", "Image", SupportsShouldProcess = true)]
[OutputType(typeof(ImageInfo))]
public sealed class BuildImageCommand : EngineCmdlet
{
    /// <summary>The build context: the directory COPY and ADD read from.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath", "Context")]
    public string Path { get; set; } = ".";

    /// <summary>The Dockerfile; by default Dockerfile, else Containerfile, in the context.</summary>
    [Parameter(Position = 1)]
    [Alias("f", "Dockerfile")]
    public string? File { get; set; }

    /// <summary>Names for the result, such as "app:1".</summary>
    [Parameter]
    [Alias("t")]
    public string[]? Tag { get; set; }

    /// <summary>Build args: @{ VERSION = '1.2' }.</summary>
    [Parameter]
    public Hashtable? BuildArg { get; set; }

    /// <summary>The stage to build; by default the last.</summary>
    [Parameter]
    public string? Target { get; set; }

    /// <summary>Run every step; reuse nothing from the build cache.</summary>
    [Parameter]
    public SwitchParameter NoCache { get; set; }

    /// <summary>Pull base images even when they are present.</summary>
    [Parameter]
    public SwitchParameter Pull { get; set; }

    /// <summary>Labels for the result: @{ 'org.opencontainers.image.version' = '1' }.</summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>The platform, os/arch[/variant]; RUN steps run only on the host's own.</summary>
    [Parameter]
    public string? Platform { get; set; }

    /// <summary>The network of RUN steps.</summary>
    [Parameter]
    [ValidateSet("bridge", "none", "host")]
    public string Network { get; set; } = "bridge";

    /// <summary>Secrets for RUN --mount=type=secret, as "id=name,src=path".</summary>
    [Parameter]
    public string[]? Secret { get; set; }

    /// <summary>Show no step output; write only the result.</summary>
    [Parameter]
    [Alias("q")]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var context = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(context, "Build image" + (Tag is { Length: > 0 } ? " " + string.Join(", ", Tag) : ""))) return;
        TryEngine(() =>
        {
            var request = new BuildRequest
            {
                ContextDirectory = context,
                Dockerfile = File is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(File),
                Tags = Tag ?? [],
                BuildArgs = ToDictionary(BuildArg),
                Target = Target,
                NoCache = NoCache,
                Pull = Pull,
                Labels = ToDictionary(Label),
                Platform = Platform,
                Network = Network,
                Secrets = Secrets(),
            };
            var image = RunBuild(request);
            WriteObject(Engine.Images.Describe(image, Tag is { Length: > 0 } ? Tag[0] : null));
        }, Path);
    }

    // The build runs on a worker; its reports are written here, since only the pipeline thread may write.
    private ImageRecord RunBuild(BuildRequest request)
    {
        var cancel = CancelToken;
        var reports = new BlockingCollection<BuildProgress>();
        var task = Task.Run(() =>
        {
            try
            {
                return Engine.Builder.Build(request, reports.Add, cancel);
            }
            finally
            {
                reports.CompleteAdding();
            }
        });
        var progress = new ProgressRecord(0x6275696c, "Building " + (request.Tags.FirstOrDefault() ?? global::System.IO.Path.GetFileName(request.ContextDirectory.TrimEnd('/'))), "Starting");
        try
        {
            // Not cancelled with the pipeline: after Ctrl+C the build still reports while it cleans up.
            foreach (var report in reports.GetConsumingEnumerable())
            {
                if (report.Kind == BuildProgressKind.Step && report.Total > 0)
                {
                    progress.PercentComplete = Math.Min(100, (report.Step - 1) * 100 / report.Total);
                    progress.StatusDescription = report.Text;
                    WriteProgress(progress);
                }
                if (!Quiet) WriteInformation(new HostInformationMessage { Message = report.Text }, ["PSHOST", "Build"]);
            }
        }
        catch (PipelineStoppedException)
        {
            // Stopped while writing: let the build notice the cancellation and remove what it made first.
            try { task.Wait(); }
            catch (AggregateException) { }
            throw;
        }
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        return task.GetAwaiter().GetResult();
    }

    private static Dictionary<string, string> ToDictionary(Hashtable? table)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is null) return result;
        foreach (DictionaryEntry entry in table)
            result[entry.Key.ToString() ?? ""] = entry.Value?.ToString() ?? "";
        return result;
    }

    private Dictionary<string, string> Secrets()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in Secret ?? [])
        {
            string? id = null, source = null;
            foreach (var field in spec.Split(','))
            {
                var pair = field.Split('=', 2);
                var value = pair.Length == 2 ? pair[1] : "";
                switch (pair[0].Trim().ToLowerInvariant())
                {
                    case "id": id = value; break;
                    case "src" or "source": source = value; break;
                    case "type" when value == "file": break;
                    default:
                        throw new EngineException("InvalidBuildSecret", EngineErrorKind.InvalidArgument, $"Invalid -Secret '{spec}': use id=<name>,src=<file>.", spec);
                }
            }
            if (id is null || source is null)
                throw new EngineException("InvalidBuildSecret", EngineErrorKind.InvalidArgument, $"Invalid -Secret '{spec}': use id=<name>,src=<file>.", spec);
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(source);
            if (!global::System.IO.File.Exists(path))
                throw new EngineException("BuildSecretNotFound", EngineErrorKind.NotFound, $"The secret file {path} does not exist.", spec);
            result[id] = path;
        }
        return result;
    }
}
