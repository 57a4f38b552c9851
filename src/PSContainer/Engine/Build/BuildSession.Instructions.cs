using System.Globalization;
using System.Text.Json;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

// Dispatch, the cache, and the instructions that change only the image config.
internal sealed partial class BuildSession
{
    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private void Execute(DockerfileInstruction instruction, BuildState state)
    {
        try
        {
            switch (instruction.Keyword)
            {
                case "ENV": Env(instruction, state); break;
                case "ARG": Arg(instruction, state); break;
                case "LABEL": Label(instruction, state); break;
                case "EXPOSE": Expose(instruction, state); break;
                case "VOLUME": Volume(instruction, state); break;
                case "USER": Metadata(state, "USER " + Expand(state, instruction.Arguments), s => s.Run.User = Expand(state, instruction.Arguments)); break;
                case "WORKDIR": Workdir(instruction, state); break;
                case "ENTRYPOINT": Entrypoint(instruction, state); break;
                case "CMD": Cmd(instruction, state); break;
                case "SHELL": Shell(instruction, state); break;
                case "HEALTHCHECK": Healthcheck(instruction, state); break;
                case "STOPSIGNAL": StopSignal(instruction, state); break;
                case "ONBUILD": OnBuild(instruction, state); break;
                case "MAINTAINER": Metadata(state, "MAINTAINER " + instruction.Arguments, s => s.Image.Author = instruction.Arguments); break;
                case "RUN": Run(instruction, state); break;
                case "COPY": Copy(instruction, state, isAdd: false); break;
                case "ADD": Copy(instruction, state, isAdd: true); break;
                case "FROM": throw DockerfileParser.Error(_file.Path, instruction.Line, "FROM cannot be an ONBUILD trigger");
            }
        }
        catch (EngineException ex) when (ex.ErrorId is "DockerfileParseError" or "UnsetBuildVariable" && !ex.Message.StartsWith(_file.Path + ":", StringComparison.Ordinal))
        {
            throw new EngineException(ex.ErrorId, ex.Kind, $"{_file.Path}:{instruction.Line}: {ex.Message}", $"{_file.Path}:{instruction.Line}", ex);
        }
    }

    /// <summary>
    /// Runs a step through the cache: when a record for its key exists (and -NoCache is off) the state
    /// becomes the record's; otherwise <paramref name="apply"/> changes the state and a record is stored.
    /// </summary>
    private void Cached(BuildState state, string instruction, string? sources, Action apply)
    {
        var key = BuildCacheKey.For(state.CacheId, instruction, ArgsInEffect(state), sources, _platform);
        if (!_request.NoCache && _cache.Find(key) is { } hit)
        {
            state.Image = BuildState.Clone(hit.Image);
            state.Layers = hit.Layers.ToList();
            state.CacheId = key;
            var chains = state.ChainIds;
            _leases.Add(Storage.Lease.Take(_engine.Layout, chains.Concat(state.Layers.Select(l => l.Digest))));
            Report(BuildProgressKind.CacheHit, $"--> Using cache {Content.Digest.Parse(key).Hex[..12]}");
            return;
        }
        apply();
        state.CacheId = key;
        _cache.Put(new BuildCacheRecord { Key = key, Image = BuildState.Clone(state.Image), Layers = state.Layers.ToList() });
    }

    /// <summary>A step that changes only the config: an empty-layer history entry.</summary>
    private void Metadata(BuildState state, string text, Action<BuildState> change) =>
        Cached(state, text, null, () =>
        {
            change(state);
            state.AddHistory(text, emptyLayer: true, DateTimeOffset.UtcNow);
        });

    /// <summary>The stage's declared build args that have values, proxies aside.</summary>
    private static IEnumerable<KeyValuePair<string, string>> ArgsInEffect(BuildState state) =>
        state.Args.Where(a => a.Value is not null && !ProxyArgs.Contains(a.Key)).Select(a => new KeyValuePair<string, string>(a.Key, a.Value!));

    private Func<string, string?> Lookup(BuildState state)
    {
        var env = state.EnvironmentMap();
        return name => env.TryGetValue(name, out var value) ? value : state.Args.GetValueOrDefault(name);
    }

    private string Expand(BuildState state, string word) => new ShellWordExpander(Lookup(state), _file.EscapeCharacter).ProcessWord(word);

    private List<string> ExpandWords(BuildState state, string text) => new ShellWordExpander(Lookup(state), _file.EscapeCharacter).ProcessWords(text);

    private void Env(DockerfileInstruction instruction, BuildState state)
    {
        // Every pair sees the environment from before the instruction, as in Docker.
        var pairs = KeyValueParser.Pairs(instruction.Arguments, "ENV", _file.EscapeCharacter)
            .Select(p => (Key: Expand(state, p.Key), Value: Expand(state, p.Value))).ToList();
        var text = "ENV " + string.Join(' ', pairs.Select(p => p.Key + "=" + p.Value));
        Metadata(state, text, s =>
        {
            s.Run.Env ??= new List<string>();
            foreach (var (key, value) in pairs) SetEnv(s.Run.Env, key, value);
        });
    }

    /// <summary>Sets a variable where it stands (or at the end when new), as Docker orders Env.</summary>
    private static void SetEnv(List<string> env, string key, string value)
    {
        var index = env.FindIndex(e => e.Split('=', 2)[0] == key);
        if (index >= 0) env[index] = key + "=" + value;
        else env.Add(key + "=" + value);
    }

    private void Arg(DockerfileInstruction instruction, BuildState state)
    {
        var declared = new List<string>();
        foreach (var (name, dflt) in KeyValueParser.Args(instruction.Arguments, _file.EscapeCharacter))
        {
            string? value;
            if (_request.BuildArgs.TryGetValue(name, out var given))
            {
                value = given;
                _usedArgs.Add(name);
            }
            else if (dflt is not null) value = Expand(state, dflt);
            else value = _globalArgs.GetValueOrDefault(name);
            state.Args[name] = value;
            declared.Add(dflt is null ? name : name + "=" + dflt);
        }
        Metadata(state, "ARG " + string.Join(' ', declared), _ => { });
    }

    private void Label(DockerfileInstruction instruction, BuildState state)
    {
        var pairs = KeyValueParser.Pairs(instruction.Arguments, "LABEL", _file.EscapeCharacter)
            .Select(p => (Key: Expand(state, p.Key), Value: Expand(state, p.Value))).ToList();
        Metadata(state, "LABEL " + string.Join(' ', pairs.Select(p => p.Key + "=" + p.Value)), s =>
        {
            s.Run.Labels ??= new Dictionary<string, string>();
            foreach (var (key, value) in pairs) s.Run.Labels[key] = value;
        });
    }

    private void Expose(DockerfileInstruction instruction, BuildState state)
    {
        var ports = new List<string>();
        foreach (var spec in ExpandWords(state, instruction.Arguments))
        {
            var slash = spec.IndexOf('/');
            var protocol = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
            var range = slash < 0 ? spec : spec[..slash];
            var bounds = range.Split('-');
            if (protocol is not ("tcp" or "udp" or "sctp") || bounds.Length > 2
                || !ushort.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !ushort.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last < first)
                throw DockerfileParser.Error(_file.Path, instruction.Line, $"invalid port '{spec}'");
            for (var port = first; port <= last && port >= first; port++) ports.Add($"{port}/{protocol}");
        }
        Metadata(state, "EXPOSE " + string.Join(' ', ports), s =>
        {
            s.Run.ExposedPorts ??= new Dictionary<string, object>();
            foreach (var port in ports) s.Run.ExposedPorts[port] = new Dictionary<string, object>();
        });
    }

    private void Volume(DockerfileInstruction instruction, BuildState state)
    {
        var paths = instruction.ExecForm is { } list ? list.Select(p => Expand(state, p)).ToList() : ExpandWords(state, instruction.Arguments);
        if (paths.Count == 0 || paths.Any(p => p.Trim().Length == 0))
            throw DockerfileParser.Error(_file.Path, instruction.Line, "VOLUME specified can not be an empty string");
        Metadata(state, "VOLUME " + JsonSerializer.Serialize(paths, CompactJson), s =>
        {
            s.Run.Volumes ??= new Dictionary<string, object>();
            foreach (var path in paths) s.Run.Volumes[path] = new Dictionary<string, object>();
        });
    }

    private void Workdir(DockerfileInstruction instruction, BuildState state)
    {
        var path = Expand(state, instruction.Arguments);
        if (!path.StartsWith('/')) path = (state.Run.WorkingDir is { Length: > 0 } current ? current : "/").TrimEnd('/') + "/" + path;
        path = DockerignoreMatcher.Clean(path);
        Metadata(state, "WORKDIR " + path, s => s.Run.WorkingDir = path);
    }

    private List<string> CommandOf(DockerfileInstruction instruction, BuildState state) =>
        instruction.ExecForm?.ToList() ?? (instruction.Arguments.Length == 0 ? [] : [.. ShellOf(state), instruction.Arguments]);

    private static List<string> ShellOf(BuildState state) => state.Run.Shell is { Count: > 0 } shell ? shell : ["/bin/sh", "-c"];

    private void Entrypoint(DockerfileInstruction instruction, BuildState state)
    {
        var command = CommandOf(instruction, state);
        var resetCommand = !state.CommandSet;
        Metadata(state, "ENTRYPOINT " + JsonSerializer.Serialize(command, CompactJson), s =>
        {
            s.Run.Entrypoint = command;
            // An ENTRYPOINT drops a CMD inherited from the base image, not one this stage set.
            if (resetCommand) s.Run.Cmd = null;
        });
    }

    private void Cmd(DockerfileInstruction instruction, BuildState state)
    {
        var command = CommandOf(instruction, state);
        state.CommandSet = true;
        Metadata(state, "CMD " + JsonSerializer.Serialize(command, CompactJson), s => s.Run.Cmd = command);
    }

    private void Shell(DockerfileInstruction instruction, BuildState state)
    {
        if (instruction.ExecForm is not { Count: > 0 } shell)
            throw DockerfileParser.Error(_file.Path, instruction.Line, "SHELL requires the arguments to be in JSON form");
        Metadata(state, "SHELL " + JsonSerializer.Serialize(shell, CompactJson), s => s.Run.Shell = shell.ToList());
    }

    private void StopSignal(DockerfileInstruction instruction, BuildState state)
    {
        var signal = Expand(state, instruction.Arguments);
        try
        {
            Signals.Parse(signal);
        }
        catch (EngineException)
        {
            throw DockerfileParser.Error(_file.Path, instruction.Line, $"invalid signal '{signal}'");
        }
        Metadata(state, "STOPSIGNAL " + signal, s => s.Run.StopSignal = signal);
    }

    private void OnBuild(DockerfileInstruction instruction, BuildState state)
    {
        var trigger = instruction.Arguments;
        DockerfileParser.ParseTrigger(trigger, _file.Path, instruction.Line, _file.EscapeCharacter);
        Metadata(state, "ONBUILD " + trigger, s => (s.Run.OnBuild ??= new List<string>()).Add(trigger));
    }

    private void Healthcheck(DockerfileInstruction instruction, BuildState state)
    {
        var words = instruction.Arguments.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
        var kind = words[0].ToUpperInvariant();
        OciHealthcheck check;
        if (kind == "NONE")
        {
            if (words.Length > 1 || instruction.Flags.Count > 0)
                throw DockerfileParser.Error(_file.Path, instruction.Line, "HEALTHCHECK NONE takes no arguments");
            check = new OciHealthcheck { Test = ["NONE"] };
        }
        else if (kind == "CMD" && words.Length == 2)
        {
            check = new OciHealthcheck
            {
                Test = instruction.ExecForm is { } exec ? ["CMD", .. exec] : ["CMD-SHELL", words[1].Trim()],
            };
            foreach (var flag in instruction.Flags)
            {
                switch (flag.Name)
                {
                    case "interval": check.Interval = Duration(flag, instruction); break;
                    case "timeout": check.Timeout = Duration(flag, instruction); break;
                    case "start-period": check.StartPeriod = Duration(flag, instruction); break;
                    case "start-interval": check.StartInterval = Duration(flag, instruction); break;
                    case "retries":
                        if (!int.TryParse(flag.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var retries))
                            throw DockerfileParser.Error(_file.Path, instruction.Line, $"invalid --retries '{flag.Value}'");
                        check.Retries = retries;
                        break;
                    default: throw DockerfileParser.Error(_file.Path, instruction.Line, $"unknown flag for HEALTHCHECK: --{flag.Name}");
                }
            }
        }
        else
        {
            throw DockerfileParser.Error(_file.Path, instruction.Line, "HEALTHCHECK needs NONE or CMD <command>");
        }
        var text = "HEALTHCHECK " + JsonSerializer.Serialize(check.Test, CompactJson)
            + string.Concat(instruction.Flags.Select(f => $" --{f.Name}={f.Value}"));
        Metadata(state, text, s => s.Run.Healthcheck = check);
    }

    private long Duration(BuildFlag flag, DockerfileInstruction instruction) =>
        GoDuration.TryParse(flag.Value, out long nanoseconds) && nanoseconds >= 0
            ? nanoseconds
            : throw DockerfileParser.Error(_file.Path, instruction.Line, $"invalid duration --{flag.Name}={flag.Value}");
}
