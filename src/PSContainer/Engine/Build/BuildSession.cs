using System.Runtime.InteropServices;
using System.Text.Json;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>
/// One build: the stages the target needs, in order, each step either found in the cache or run; then the
/// image is stored and tagged. Everything the build mounted or staged goes when it ends, however it ends.
/// </summary>
internal sealed partial class BuildSession : IDisposable
{
    /// <summary>The proxy variables Docker passes to RUN without an ARG, and keeps out of the cache key and history.</summary>
    public static readonly HashSet<string> ProxyArgs = new(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly BuildDependencies _engine;
    private readonly BuildRequest _request;
    private readonly Dockerfile _file;
    private readonly BuildContext _context;
    private readonly Action<BuildProgress> _progress;
    private readonly CancellationToken _cancel;
    private readonly BuildCache _cache;
    private readonly BuildWorkspace _workspace;
    private readonly List<Lease> _leases = new();
    private readonly Dictionary<int, BuildState> _built = new();
    private readonly Dictionary<string, string?> _globalArgs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedArgs = new(StringComparer.Ordinal);
    private readonly string _platform;
    private int _step;
    private int _total;

    public BuildSession(BuildDependencies engine, BuildRequest request, Dockerfile file, BuildContext context, Action<BuildProgress> progress, CancellationToken cancel)
    {
        _engine = engine;
        _request = request;
        _file = file;
        _context = context;
        _progress = progress;
        _cancel = cancel;
        _cache = new BuildCache(engine.Layout, engine.Content, engine.Layers);
        var architecture = PlatformNames.Architecture(RuntimeInformation.OSArchitecture);
        _platform = request.Platform ?? "linux/" + architecture;
        _workspace = new BuildWorkspace(engine.Layout, engine.Layers);
    }

    /// <summary>Builds and stores the image.</summary>
    public ImageRecord Run()
    {
        _cache.Sweep();
        DeclareGlobalArgs();
        var target = TargetStage();
        var needed = NeededStages(target);
        _total = needed.Sum(i => 1 + _file.Stages[i].Instructions.Count);
        foreach (var index in needed.Order())
        {
            _cancel.ThrowIfCancellationRequested();
            _built[index] = BuildStage(_file.Stages[index]);
        }
        var unused = _request.BuildArgs.Keys.Where(k => !_usedArgs.Contains(k) && !ProxyArgs.Contains(k)).ToList();
        if (unused.Count > 0)
            Report(BuildProgressKind.Note, $"[Warning] One or more build args were not consumed: {string.Join(", ", unused.Order(StringComparer.Ordinal))}");
        return Store(_built[target.Index]);
    }

    public void Dispose()
    {
        _workspace.Dispose();
        foreach (var lease in _leases) lease.Dispose();
    }

    private void Report(BuildProgressKind kind, string text) => _progress(new BuildProgress(kind, _step, _total, text));

    private void DeclareGlobalArgs()
    {
        var parts = _platform.Split('/');
        var host = "linux/" + PlatformNames.Architecture(RuntimeInformation.OSArchitecture);
        var automatic = new Dictionary<string, string>
        {
            ["TARGETPLATFORM"] = _platform, ["TARGETOS"] = parts[0], ["TARGETARCH"] = parts.Length > 1 ? parts[1] : "", ["TARGETVARIANT"] = parts.Length > 2 ? parts[2] : "",
            ["BUILDPLATFORM"] = host, ["BUILDOS"] = "linux", ["BUILDARCH"] = host.Split('/')[1], ["BUILDVARIANT"] = "",
        };
        foreach (var (key, value) in automatic) _globalArgs[key] = value;
        foreach (var instruction in _file.GlobalArgs)
        {
            foreach (var (name, dflt) in KeyValueParser.Args(instruction.Arguments, _file.EscapeCharacter))
            {
                var expander = new ShellWordExpander(n => _globalArgs.GetValueOrDefault(n), _file.EscapeCharacter);
                _globalArgs[name] = _request.BuildArgs.TryGetValue(name, out var given) ? given : dflt is null ? null : expander.ProcessWord(dflt);
                if (_request.BuildArgs.ContainsKey(name)) _usedArgs.Add(name);
            }
        }
    }

    private string ExpandGlobal(string text) => new ShellWordExpander(n => _globalArgs.GetValueOrDefault(n), _file.EscapeCharacter).ProcessWord(text);

    private DockerfileStage TargetStage()
    {
        if (_request.Target is null) return _file.Stages[^1];
        return _file.Stages.FirstOrDefault(s => s.Name == _request.Target.ToLowerInvariant())
            ?? throw new EngineException("BuildTargetNotFound", EngineErrorKind.NotFound, $"The Dockerfile has no stage named '{_request.Target}'.", _request.Target);
    }

    /// <summary>The stage a FROM, --from or --mount from= names, or null when it names an image.</summary>
    private DockerfileStage? StageNamed(string name, int before)
    {
        var lower = name.ToLowerInvariant();
        var byName = _file.Stages.FirstOrDefault(s => s.Index < before && s.Name == lower);
        if (byName is not null) return byName;
        return int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < before ? _file.Stages[index] : null;
    }

    private SortedSet<int> NeededStages(DockerfileStage target)
    {
        var needed = new SortedSet<int>();
        var pending = new Stack<DockerfileStage>();
        pending.Push(target);
        while (pending.Count > 0)
        {
            var stage = pending.Pop();
            if (!needed.Add(stage.Index)) continue;
            var references = new List<string> { ExpandGlobal(stage.BaseName) };
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Flag("from") is { } from) references.Add(ExpandGlobal(from));
                foreach (var mount in instruction.FlagValues("mount"))
                    if (RunMount.ParseOptions(mount).TryGetValue("from", out var mountFrom)) references.Add(ExpandGlobal(mountFrom));
            }
            foreach (var reference in references)
                if (StageNamed(reference, stage.Index) is { } dependency) pending.Push(dependency);
        }
        return needed;
    }

    private BuildState BuildStage(DockerfileStage stage)
    {
        var baseName = ExpandGlobal(stage.BaseName);
        Step(stage.From, $"FROM {baseName}{(stage.Name is { } n ? " AS " + n : "")}");
        BuildState state;
        if (baseName.Equals("scratch", StringComparison.OrdinalIgnoreCase))
            state = Scratch();
        else if (StageNamed(baseName, stage.Index) is { } parent)
            state = BuildState.From(_built[parent.Index].Image, _built[parent.Index].Layers, _built[parent.Index].CacheId);
        else
            state = FromImage(baseName, stage.From.Flag("platform") is { } p ? ExpandGlobal(p) : null);
        // As Docker's builder: an image without PATH gets the default one, for the build and in its config.
        state.Run.Env ??= new List<string>();
        if (!state.Run.Env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
            state.Run.Env.Insert(0, "PATH=" + Containers.SpecBuilder.DefaultPath);
        var triggers = state.Run.OnBuild ?? [];
        state.Run.OnBuild = null;
        foreach (var trigger in triggers)
        {
            Report(BuildProgressKind.Note, $"ONBUILD {trigger}");
            Execute(DockerfileParser.ParseTrigger(trigger, _file.Path, stage.From.Line, _file.EscapeCharacter), state);
        }
        foreach (var instruction in stage.Instructions)
        {
            _cancel.ThrowIfCancellationRequested();
            Step(instruction, instruction.Original);
            Execute(instruction, state);
        }
        return state;
    }

    private void Step(DockerfileInstruction instruction, string text)
    {
        _step++;
        Report(BuildProgressKind.Step, $"STEP {_step}/{_total}: {text}");
    }

    private BuildState Scratch()
    {
        var parts = _platform.Split('/');
        var state = new BuildState { CacheId = "scratch:" + _platform };
        state.Image.Os = parts[0];
        state.Image.Architecture = parts.Length > 1 ? parts[1] : "amd64";
        state.Image.Variant = parts.Length > 2 ? parts[2] : null;
        state.Image.History = new List<OciHistory>();
        return state;
    }

    private BuildState FromImage(string name, string? platform)
    {
        var image = BaseImage(name, platform);
        return BuildState.From(_engine.ImageStore.Config(image), image.Layers, image.Id);
    }

    /// <summary>A base image: the local one, else (or with -Pull always) pulled.</summary>
    private ImageRecord BaseImage(string name, string? platform)
    {
        if (!_request.Pull)
        {
            try
            {
                return _engine.Images.Resolve(name);
            }
            catch (EngineException ex) when (ex.ErrorId == "ImageNotFound")
            {
                // Not here: pull it.
            }
        }
        ImageReference reference;
        try
        {
            reference = ImageReference.Parse(name);
        }
        catch (EngineException ex)
        {
            throw new EngineException("BaseImageNotFound", EngineErrorKind.NotFound, $"Base image '{name}' is not a valid image reference: {ex.Message}", name, ex);
        }
        Report(BuildProgressKind.Note, $"Pulling {reference.FamiliarName}");
        try
        {
            var options = _request.RegistryOptions ?? new RegistryClientOptions();
            var wanted = platform ?? _request.Platform;
            return _engine.Puller.PullAsync(reference, options, wanted is null ? null : Platform.Parse(wanted), _ => { }, _cancel).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is EngineException or HttpRequestException && !_cancel.IsCancellationRequested)
        {
            throw new EngineException("BaseImageNotFound", EngineErrorKind.NotFound,
                $"Base image '{name}' is not in the store and could not be pulled: {ex.Message}", name, ex);
        }
    }

    private ImageRecord Store(BuildState state)
    {
        var config = BuildState.Clone(state.Image);
        config.Config ??= new OciRunConfig();
        if (_request.Labels.Count > 0)
        {
            config.Config.Labels ??= new Dictionary<string, string>();
            foreach (var (key, value) in _request.Labels) config.Config.Labels[key] = value;
        }
        config.RootFs = new OciRootFs { DiffIds = state.Layers.Select(l => l.DiffId).ToList() };
        config.Created ??= DateTimeOffset.UtcNow;
        var digest = _engine.Content.Put(JsonSerializer.SerializeToUtf8Bytes(config, OciJsonContext.Default.OciImageConfig));
        var record = new ImageRecord { Id = digest.ToString(), Stored = DateTimeOffset.UtcNow, Layers = state.Layers };
        using (_engine.Layout.Lock())
        {
            var existing = _engine.ImageStore.Get(record.Id);
            if (existing is null) _engine.ImageStore.Put(record);
            else record = existing;
        }
        foreach (var tag in _request.Tags) _engine.Images.Tag(record, tag);
        return record;
    }

    /// <summary>Keeps new layers and blobs from collection until the image that uses them is stored.</summary>
    private void Protect(ImageLayer layer, string chainId) =>
        _leases.Add(Lease.Take(_engine.Layout, [chainId, layer.Digest]));

    private static EngineException Failed(string message, object? target = null) =>
        new("BuildStepFailed", EngineErrorKind.ExternalFailure, message, target);

}
