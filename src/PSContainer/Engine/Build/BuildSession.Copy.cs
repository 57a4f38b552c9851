using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PSContainer.Engine.Containers;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

// COPY and ADD: sources from the context, a heredoc, another stage or image, or (ADD) a URL or a local archive.
internal sealed partial class BuildSession
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(10) };

    private sealed record CopySource(string Text, Heredoc? Heredoc, List<string>? ContextPaths, string? Url, string? DownloadedFile);

    private void Copy(DockerfileInstruction instruction, BuildState state, bool isAdd)
    {
        var keyword = isAdd ? "ADD" : "COPY";
        var allowed = isAdd ? new[] { "chown", "chmod", "link", "checksum" } : ["chown", "chmod", "link", "from"];
        foreach (var flag in instruction.Flags)
            if (!allowed.Contains(flag.Name))
                throw DockerfileParser.Error(_file.Path, instruction.Line, $"unknown flag for {keyword}: --{flag.Name}");
        var words = instruction.ExecForm?.ToList() ?? instruction.Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        var heredocs = instruction.Heredocs.ToDictionary(h => h.Name, StringComparer.Ordinal);
        var expanded = words.Select(w => HeredocOf(w, heredocs) is not null ? w : Expand(state, w)).ToList();
        if (expanded.Count < 2)
            throw DockerfileParser.Error(_file.Path, instruction.Line, $"{keyword} requires at least two arguments, but got {expanded.Count}");
        var destination = expanded[^1];
        var chown = instruction.Flag("chown") is { } c ? Expand(state, c) : null;
        var chmod = instruction.Flag("chmod") is { } m ? ParseMode(Expand(state, m), instruction) : (uint?)null;
        var from = instruction.Flag("from") is { } f ? Expand(state, f) : null;
        var checksum = instruction.Flag("checksum") is { } sum ? Expand(state, sum) : null;
        var workdir = state.Run.WorkingDir is { Length: > 0 } w ? w : "/";
        var destinationIsDirectory = destination.EndsWith('/') || destination is "." or ".." || destination.EndsWith("/.", StringComparison.Ordinal);
        var absolute = DockerignoreMatcher.Clean(destination.StartsWith('/') ? destination : workdir.TrimEnd('/') + "/" + destination);

        if (checksum is not null && !expanded[..^1].All(IsUrl))
            throw DockerfileParser.Error(_file.Path, instruction.Line, "ADD --checksum works only with URL sources");
        BuildState? sourceState = from is null ? null : SourceState(from, state);
        var sources = new List<CopySource>();
        var digest = new StringBuilder();
        foreach (var text in expanded[..^1])
        {
            if (HeredocOf(text, heredocs) is { } heredoc)
            {
                var content = heredoc.Expand ? ExpandHeredoc(state, heredoc.Content) : heredoc.Content;
                sources.Add(new CopySource(text, heredoc with { Content = content }, null, null, null));
                digest.Append("heredoc ").Append(heredoc.Name).Append(' ').Append(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content)))).Append('\n');
            }
            else if (sourceState is not null)
            {
                sources.Add(new CopySource(text, null, null, null, null));
                digest.Append("from ").Append(sourceState.CacheId).Append(' ').Append(text).Append('\n');
            }
            else if (isAdd && IsUrl(text))
            {
                var file = Download(text);
                sources.Add(new CopySource(text, null, null, text, file));
                string hex;
                using (var stream = File.OpenRead(file)) hex = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
                if (checksum is not null && checksum != "sha256:" + hex)
                    throw new EngineException("BuildChecksumMismatch", EngineErrorKind.InvalidData, $"{text} has digest sha256:{hex}, not the {checksum} that ADD --checksum expects.", text);
                digest.Append("url ").Append(text).Append(' ').Append(hex).Append('\n');
            }
            else
            {
                var matches = _context.Match(text);
                sources.Add(new CopySource(text, null, matches, null, null));
                digest.Append("context ").Append(text).Append(' ').Append(_context.Digest(matches.Select(_context.Followed))).Append('\n');
            }
        }
        var many = sources.Count > 1 || sources.Any(s => s.ContextPaths is { Count: > 1 } || (s.ContextPaths is not null && GlobPattern.HasWildcards(s.Text)));
        if (many && !destinationIsDirectory && from is null)
            throw DockerfileParser.Error(_file.Path, instruction.Line, $"When using {keyword} with more than one source file, the destination must be a directory and end with a /");

        var flags = (from is null ? "" : $"--from={from} ") + (chown is null ? "" : $"--chown={chown} ") + (chmod is null ? "" : $"--chmod={Convert.ToString(chmod.Value, 8)} ");
        var text2 = $"{keyword} {flags}{string.Join(' ', expanded[..^1])} {absolute}{(destinationIsDirectory && !absolute.EndsWith('/') ? "/" : "")}";
        Cached(state, text2, digest.ToString(), () =>
        {
            var (root, upper) = _workspace.MountWritable(state.ChainIds);
            try
            {
                    EnsureWorkdir(root, state);
                var owner = chown is null ? ((int, int)?)null : ResolveOwner(root, chown);
                var copier = new BuildFileCopier(root, owner, chmod, _cancel);
                var isDirectory = destinationIsDirectory || many || copier.Stat(absolute) is { FileType: Libc.S_IFDIR };
                foreach (var source in sources)
                    CopyOne(source, copier, absolute, isDirectory, sourceState, isAdd);
                copier.Finish();
            }
            finally
            {
                _workspace.Unmount(root);
            }
            var layer = LayerCommitter.Commit(_engine.Content, _engine.Layers, upper, state.ChainIds.LastOrDefault());
            Protect(layer, Layers.LayerStore.ChainIdOf(state.ChainIds.LastOrDefault(), layer.DiffId));
            state.Layers.Add(layer);
            state.AddHistory(text2, emptyLayer: false, DateTimeOffset.UtcNow);
        });
    }

    private void CopyOne(CopySource source, BuildFileCopier copier, string destination, bool isDirectory, BuildState? sourceState, bool isAdd)
    {
        string Into(string name) => isDirectory ? destination.TrimEnd('/') + "/" + name : destination;
        if (source.Heredoc is { } heredoc)
        {
            copier.WriteFile(Into(heredoc.Name), new MemoryStream(Encoding.UTF8.GetBytes(heredoc.Content)), 0x1A4, null);
            return;
        }
        if (source.DownloadedFile is { } downloaded)
        {
            var name = Path.GetFileName(new Uri(source.Url!).AbsolutePath.TrimEnd('/'));
            if (isDirectory && name.Length == 0)
                throw new EngineException("BuildSourceNotFound", EngineErrorKind.InvalidArgument, $"Cannot name the file {source.Url} downloads; give a file destination.", source.Url);
            using var stream = File.OpenRead(downloaded);
            copier.WriteFile(Into(name), stream, 0x180, File.GetLastWriteTimeUtc(downloaded));
            return;
        }
        if (sourceState is not null)
        {
            var root = _workspace.MountReadOnly(sourceState.ChainIds);
            var host = RootedPath.Resolve(root, source.Text, followFinalSymlink: true);
            var stat = Libc.LStat(host) ?? throw new EngineException("BuildSourceNotFound", EngineErrorKind.NotFound, $"'{source.Text}' does not exist in the source stage or image.", source.Text);
            if (stat.FileType == Libc.S_IFDIR) copier.CopyChildren(host, destination, keepOwner: true);
            else copier.Copy(host, Into(Path.GetFileName(host)), keepOwner: true);
            return;
        }
        foreach (var relative in source.ContextPaths!)
        {
            // The content comes from where a symlink source points; the name stays the source's.
            var followed = _context.Followed(relative);
            var host = _context.HostPath(followed);
            var stat = Libc.LStat(host)!.Value;
            if (stat.FileType == Libc.S_IFDIR)
            {
                var prefix = followed.Length == 0 ? "" : followed + "/";
                copier.CopyChildren(host, destination, keepOwner: false, child => _context.IsIncluded(prefix + child));
            }
            else if (isAdd && stat.FileType == Libc.S_IFREG && ArchiveReader.OpenIfArchive(host) is { } archive)
            {
                using (archive)
                    Layers.LayerUnpacker.Unpack(archive, copier.EnsureDirectory(destination), _cancel);
            }
            else
            {
                copier.Copy(host, Into(relative.Length == 0 ? "" : relative[(relative.LastIndexOf('/') + 1)..]), keepOwner: false);
            }
        }
    }

    /// <summary>The state a --from or --mount from= names: an earlier stage, else an image.</summary>
    private BuildState SourceState(string name, BuildState current)
    {
        var stage = StageNamed(name, int.MaxValue);
        if (stage is not null)
        {
            if (!_built.TryGetValue(stage.Index, out var built))
                throw new EngineException("BuildStageNotBuilt", EngineErrorKind.InvalidArgument, $"Stage '{name}' is not built before it is used; --from can name only earlier stages.", name);
            return built;
        }
        var image = BaseImage(name, null);
        return BuildState.From(_engine.ImageStore.Config(image), image.Layers, image.Id);
    }

    private static Heredoc? HeredocOf(string word, Dictionary<string, Heredoc> heredocs)
    {
        if (!word.StartsWith("<<", StringComparison.Ordinal)) return null;
        var name = word[2..].TrimStart('-').Trim('"', '\'');
        return heredocs.GetValueOrDefault(name);
    }

    // A heredoc's variables expand; its quotes and blanks stay as written.
    private string ExpandHeredoc(BuildState state, string content)
    {
        var lookup = Lookup(state);
        var escaped = content.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("'", "\\'");
        return new ShellWordExpander(lookup, '\\').ProcessWord(escaped);
    }

    private uint ParseMode(string text, DockerfileInstruction instruction)
    {
        try
        {
            var mode = Convert.ToUInt32(text, 8);
            if (mode <= 0xFFF) return mode;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
        }
        throw DockerfileParser.Error(_file.Path, instruction.Line, $"invalid --chmod={text}: give an octal mode such as 755");
    }

    /// <summary>
    /// --chown as Docker resolves it, in the image's /etc/passwd and /etc/group: a user name brings its
    /// primary group, a bare uid the same number as gid.
    /// </summary>
    private static (int Uid, int Gid) ResolveOwner(string root, string chown)
    {
        var parts = chown.Split(':', 2);
        var numericUser = uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid);
        uint gid;
        if (!numericUser)
        {
            var ids = ContainerUser.Resolve(root, parts[0]);
            uid = ids.Uid;
            gid = ids.Gid;
        }
        else gid = uid;
        if (parts.Length == 2 && parts[1].Length > 0)
            gid = uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : ContainerUser.Resolve(root, "0:" + parts[1]).Gid;
        return ((int)uid, (int)gid);
    }

    private static bool IsUrl(string text) =>
        text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private string Download(string url)
    {
        Report(BuildProgressKind.Note, $"Downloading {url}");
        var file = Path.Combine(_workspace.NewDirectory("download"), "content");
        try
        {
            using var response = Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, _cancel).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            using (var output = File.Create(file))
                response.Content.ReadAsStream(_cancel).CopyTo(output);
            if (response.Content.Headers.LastModified is { } modified) File.SetLastWriteTimeUtc(file, modified.UtcDateTime);
            return file;
        }
        catch (HttpRequestException ex)
        {
            throw new EngineException("BuildDownloadFailed", EngineErrorKind.ExternalFailure, $"ADD cannot download {url}: {ex.Message}", url, ex);
        }
    }
}
