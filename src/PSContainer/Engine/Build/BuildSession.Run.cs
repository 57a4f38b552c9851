using System.Text.Json;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

// RUN: a transient container on an overlay of the state's layers; its upper directory becomes the layer.
internal sealed partial class BuildSession
{
    private const int FailureLines = 20;

    /// <summary>The mount points the runtime itself sets up; it creates them in the root when missing.</summary>
    private static readonly string[] RuntimeMountPoints =
        ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf"];

    private void Run(DockerfileInstruction instruction, BuildState state)
    {
        foreach (var flag in instruction.Flags)
            if (flag.Name is not ("mount" or "network" or "security"))
                throw DockerfileParser.Error(_file.Path, instruction.Line, $"unknown flag for RUN: --{flag.Name}");
        if (instruction.Flag("security") is { } security && security != "sandbox")
            throw DockerfileParser.Error(_file.Path, instruction.Line, $"RUN --security={security} is not supported");
        var host = "linux/" + Images.PlatformNames.Architecture(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture);
        if (!_platform.StartsWith(host, StringComparison.Ordinal))
            throw new EngineException("PlatformNotRunnable", EngineErrorKind.InvalidArgument,
                $"{_file.Path}:{instruction.Line}: RUN cannot run {_platform} programs on this {host} host; build for {host} or drop the RUN steps.", _platform);
        var network = instruction.Flag("network") ?? _request.Network;
        if (network is not ("bridge" or "none" or "host" or "default"))
            throw DockerfileParser.Error(_file.Path, instruction.Line, $"invalid RUN --network={network}: use default, none or host");
        if (network == "default") network = _request.Network;
        var mounts = instruction.FlagValues("mount").Select(m => RunMount.Parse(Expand(state, m))).ToList();
        var args = RunArguments(instruction, state);
        var shown = instruction.ExecForm is null ? string.Join(' ', args) : JsonSerializer.Serialize(args, CompactJson);
        var text = "RUN " + string.Concat(instruction.FlagValues("mount").Select(m => "--mount=" + m + " ")) + shown;
        Cached(state, text + (network != "bridge" ? " --network=" + network : ""), null, () =>
        {
            var layer = Execute(state, args, mounts, network, instruction.Original);
            state.Layers.Add(layer);
            state.AddHistory(text, emptyLayer: false, DateTimeOffset.UtcNow);
        });
    }

    private List<string> RunArguments(DockerfileInstruction instruction, BuildState state)
    {
        if (instruction.ExecForm is { } exec) return exec.ToList();
        var script = instruction.Arguments;
        if (instruction.Heredocs.Count > 0)
        {
            // A lone heredoc is the script; otherwise the shell reads the heredocs itself.
            var lone = instruction.Heredocs.Count == 1 && System.Text.RegularExpressions.Regex.IsMatch(script.Trim(), @"^<<-?[""']?" + System.Text.RegularExpressions.Regex.Escape(instruction.Heredocs[0].Name) + @"[""']?$");
            script = lone
                ? instruction.Heredocs[0].Content
                : script + "\n" + string.Concat(instruction.Heredocs.Select(h => h.Content + h.Name + "\n"));
        }
        return [.. ShellOf(state), script];
    }

    /// <summary>
    /// Makes the working directory when missing, as buildah does at each RUN, COPY and ADD (WORKDIR alone
    /// makes nothing): mode 0755, parents too, owned by the USER in effect.
    /// </summary>
    private void EnsureWorkdir(string root, BuildState state)
    {
        var workdir = state.Run.WorkingDir is { Length: > 0 } w ? w : "/";
        // The user is looked up only when something is to be made: a COPY needs no valid USER otherwise.
        if (Libc.LStat(RootedPath.Resolve(root, workdir, followFinalSymlink: true)) is not null) return;
        var user = Containers.ContainerUser.Resolve(root, state.Run.User);
        new BuildFileCopier(root, ((int)user.Uid, (int)user.Gid), null, _cancel).EnsureDirectory(workdir);
    }

    private Images.ImageLayer Execute(BuildState state, List<string> args, List<RunMount> mounts, string network, string shown)
    {
        var (root, upper) = _workspace.MountWritable(state.ChainIds);
        var stubs = new List<string>();
        var lastLines = new Queue<string>();
        int exitCode;
        try
        {
            var workdir = state.Run.WorkingDir is { Length: > 0 } w ? w : "/";
            var ociMounts = mounts.Select(m => MountFor(m, state)).Where(m => m is not null).Select(m => m!).ToList();
            foreach (var destination in RuntimeMountPoints)
                stubs.AddRange(Missing(root, destination));
            // A bind or cache target goes again, but the parents made for it stay, as under buildah; a secret's
            // /run/secrets goes whole, like the runtime's own mount points.
            foreach (var destination in ociMounts.Select(m => "/" + m.Destination.Trim('/')))
                stubs.AddRange(Missing(root, destination).Where(p => p == destination || destination.StartsWith("/run/", StringComparison.Ordinal)));
            EnsureWorkdir(root, state);
            var env = new List<string>();
            foreach (var entry in state.Run.Env ?? []) env.Add(entry);
            var envNames = env.Select(e => e.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
            // Build args reach RUN as variables (ENV wins); the proxy ones need no ARG.
            foreach (var (name, value) in state.Args)
                if (value is not null && !envNames.Contains(name)) env.Add(name + "=" + value);
            foreach (var (name, value) in _request.BuildArgs)
                if (ProxyArgs.Contains(name) && !envNames.Contains(name) && !state.Args.ContainsKey(name)) env.Add(name + "=" + value);
            foreach (var mount in mounts.Where(m => m.Type == "secret" && m.Options.ContainsKey("env")))
                if (SecretSource(mount) is { } secretFile) env.Add(mount.Options["env"] + "=" + File.ReadAllText(secretFile));
            var run = new TransientRun
            {
                Id = TransientContainer.NewId(),
                Rootfs = root,
                BundleDir = _workspace.NewDirectory("bundle"),
                Args = args,
                Environment = env,
                WorkingDirectory = workdir,
                User = state.Run.User,
                Network = network,
                Mounts = ociMounts,
            };
            exitCode = _engine.Runner.Run(run, line =>
            {
                if (lastLines.Count == FailureLines) lastLines.Dequeue();
                lastLines.Enqueue(line);
                Report(BuildProgressKind.Output, line);
            }, _cancel);
        }
        finally
        {
            _workspace.Unmount(root);
        }
        if (exitCode != 0)
        {
            var output = lastLines.Count == 0 ? "" : "\n" + string.Join('\n', lastLines);
            throw Failed($"STEP {_step}/{_total}: {shown}: the command exited with code {exitCode}.{output}", $"STEP {_step}");
        }
        RemoveStubs(upper, stubs);
        DiscardVolumeChanges(upper, state);
        var layer = LayerCommitter.Commit(_engine.Content, _engine.Layers, upper, state.ChainIds.LastOrDefault());
        Protect(layer, Layers.LayerStore.ChainIdOf(state.ChainIds.LastOrDefault(), layer.DiffId));
        return layer;
    }

    private OciMount? MountFor(RunMount mount, BuildState state)
    {
        switch (mount.Type)
        {
            case "cache":
            {
                var id = mount.Options.GetValueOrDefault("id") ?? mount.Target;
                var dir = Path.Combine(_engine.Layout.BuildCacheDir, "mounts", Digest.Of(System.Text.Encoding.UTF8.GetBytes(id)).Hex[..32]);
                if (!Directory.Exists(dir))
                {
                    var staging = dir + "." + Guid.NewGuid().ToString("N")[..8];
                    Directory.CreateDirectory(staging);
                    Libc.Check(Libc.chmod(staging, mount.Mode(0x1ED)), "change the mode of", staging);
                    Libc.Check(Libc.lchown(staging, mount.Id("uid", 0), mount.Id("gid", 0)), "change the owner of", staging);
                    try { Directory.Move(staging, dir); }
                    catch (IOException) when (Directory.Exists(dir)) { Directory.Delete(staging); }
                }
                return new OciMount { Destination = mount.Target, Type = "bind", Source = dir, Options = ["rbind", "rprivate", mount.IsSet("readonly") ? "ro" : "rw"] };
            }
            case "secret":
            {
                var source = SecretSource(mount);
                if (source is null || mount.Options.ContainsKey("env") && !mount.Options.ContainsKey("target")) return null;
                var copy = Path.Combine(_workspace.NewDirectory("secret"), "secret");
                File.Copy(source, copy);
                Libc.Check(Libc.chmod(copy, mount.Mode(0x100)), "change the mode of", copy);
                Libc.Check(Libc.lchown(copy, mount.Id("uid", 0), mount.Id("gid", 0)), "change the owner of", copy);
                return new OciMount { Destination = mount.Target, Type = "bind", Source = copy, Options = ["rbind", "rprivate", "ro", "nosuid", "nodev", "noexec"] };
            }
            case "tmpfs":
            {
                var options = new List<string> { "rw", "nosuid", "nodev" };
                if (mount.Options.TryGetValue("size", out var size)) options.Add("size=" + size);
                return new OciMount { Destination = mount.Target, Type = "tmpfs", Source = "tmpfs", Options = options };
            }
            case "bind":
            {
                var sourcePath = mount.Options.GetValueOrDefault("source") ?? "/";
                string host;
                if (mount.Options.TryGetValue("from", out var from))
                {
                    var root = _workspace.MountReadOnly(SourceState(from, state).ChainIds);
                    host = RootedPath.Resolve(root, sourcePath, followFinalSymlink: true);
                }
                else
                {
                    host = RootedPath.Resolve(_context.Root, BuildContext.Relative(sourcePath), followFinalSymlink: true);
                }
                if (Libc.LStat(host) is null)
                    throw new EngineException("BuildSourceNotFound", EngineErrorKind.NotFound, $"RUN --mount source '{sourcePath}' does not exist.", sourcePath);
                if (mount.IsSet("readwrite"))
                {
                    // Writes go to a throwaway upper directory, as Docker discards them.
                    var dir = _workspace.NewDirectory("bindrw");
                    var (upper, work, merged) = (Path.Combine(dir, "u"), Path.Combine(dir, "w"), Path.Combine(dir, "m"));
                    foreach (var d in new[] { upper, work, merged }) Directory.CreateDirectory(d);
                    OverlayMount.Mount("/", [host], upper, work, merged);
                    _workspace.Track(merged);
                    host = merged;
                }
                return new OciMount { Destination = mount.Target, Type = "bind", Source = host, Options = ["rbind", "rprivate", mount.IsSet("readwrite") ? "rw" : "ro"] };
            }
            default:
                throw new EngineException("UnsupportedRunMount", EngineErrorKind.InvalidArgument, $"RUN --mount=type={mount.Type} is not supported.", mount.Type);
        }
    }

    private string? SecretSource(RunMount mount)
    {
        var id = mount.Options.GetValueOrDefault("id") ?? Path.GetFileName(mount.Target);
        if (_request.Secrets.TryGetValue(id, out var file) && File.Exists(file)) return file;
        if (mount.IsSet("required"))
            throw new EngineException("BuildSecretNotFound", EngineErrorKind.NotFound, $"The build needs secret '{id}'; pass it with -Secret id={id},src=<file>.", id);
        return null;
    }

    /// <summary>The parts of <paramref name="destination"/> (itself and its parents) that do not exist in the root.</summary>
    private static IEnumerable<string> Missing(string root, string destination)
    {
        var current = "";
        var missing = false;
        foreach (var part in destination.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + part;
            missing = missing || Libc.LStat(root + current) is null;
            if (missing) yield return current;
        }
    }

    /// <summary>
    /// What a RUN writes under a declared VOLUME does not reach the image, as under buildah (and Docker's
    /// classic builder): the volume's entries in the step's upper layer go, so the lower content shows again.
    /// </summary>
    private static void DiscardVolumeChanges(string upper, BuildState state)
    {
        foreach (var volume in state.Run.Volumes?.Keys ?? Enumerable.Empty<string>())
        {
            var path = upper + "/" + DockerignoreMatcher.Clean("/" + volume).Trim('/');
            if (path == upper + "/" || Libc.LStat(path) is not { FileType: Libc.S_IFDIR }) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(path))
            {
                if (Libc.LStat(entry) is { FileType: Libc.S_IFDIR }) DirectoryTree.Delete(entry);
                else File.Delete(entry);
            }
        }
    }

    /// <summary>Removes the empty mount points the runtime created, so they do not end up in the layer.</summary>
    private static void RemoveStubs(string upper, IEnumerable<string> stubs)
    {
        foreach (var stub in stubs.Distinct().OrderByDescending(s => s.Length))
        {
            var path = upper + stub;
            if (Libc.LStat(path) is not { } stat) continue;
            if (stat.FileType == Libc.S_IFREG && stat.Size == 0) File.Delete(path);
            else if (stat.FileType == Libc.S_IFDIR && OnlyEmpty(path)) DirectoryTree.Delete(path);
        }
    }

    private static bool OnlyEmpty(string dir)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            switch (Libc.LStat(entry))
            {
                case { FileType: Libc.S_IFDIR }: if (!OnlyEmpty(entry)) return false; break;
                case { FileType: Libc.S_IFREG, Size: 0 }: break;
                default: return false;
            }
        }
        return true;
    }
}
