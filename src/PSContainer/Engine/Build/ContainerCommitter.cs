using System.IO.Compression;
using System.Text.Json;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Content;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Build;

/// <summary>What ConvertTo-Image asks for.</summary>
internal sealed class CommitRequest
{
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Changes { get; init; } = [];
    public string? Message { get; init; }
    public string? Author { get; init; }

    /// <summary>Freeze a running container while its files are read (Docker's default).</summary>
    public bool Pause { get; init; } = true;
}

/// <summary>
/// Turns a container into an image (like <c>docker commit</c>): its image's layers plus one new layer made
/// from its writable layer, and a config with the container's settings and the requested changes.
/// </summary>
internal sealed class ContainerCommitter
{
    private readonly BuildDependencies _engine;
    private readonly ContainerManager _containers;

    public ContainerCommitter(BuildDependencies dependencies, ContainerManager containers)
    {
        _engine = dependencies;
        _containers = containers;
    }

    /// <summary>Commits <paramref name="container"/>; returns the stored, tagged image.</summary>
    public ImageRecord Commit(string container, CommitRequest request, CancellationToken cancel)
    {
        foreach (var tag in request.Tags) References.ImageReference.Parse(tag);
        var staging = Path.Combine(_engine.Layout.TempDir, TempName.For("commit"));
        try
        {
            var (record, tarDigest) = _containers.WithRootfs(container, request.Pause, (record, paths) =>
            {
                using var file = File.Create(staging);
                using var hashing = new HashingWriteStream(file);
                LayerPacker.Pack(paths.Upper, hashing);
                return (record, hashing.Finish());
            });
            var image = _engine.ImageStore.Get(record.ImageId)
                ?? throw new EngineException("ImageNotFound", EngineErrorKind.NotFound, $"The image of container {record.Name} is gone.", record.ImageId);
            var baseConfig = _engine.ImageStore.Config(image);
            var parent = LayerStore.ChainIdsOf(image.Layers.Select(l => l.DiffId)).LastOrDefault();
            using var blob = _engine.Content.BeginWrite();
            var layer = _engine.Layers.Create(parent, tarDigest.ToString(), diffDir =>
            {
                using var tar = File.OpenRead(staging);
                return (tarDigest.ToString(), LayerUnpacker.Unpack(tar, diffDir, cancel));
            });
            using (var gzip = new GZipStream(blob, CompressionLevel.Fastest, leaveOpen: true))
            using (var tar = File.OpenRead(staging))
                tar.CopyTo(gzip);
            var size = blob.Written;
            var blobDigest = blob.Commit();
            _engine.Layers.Verified.Record(blobDigest, size, layer.DiffId);
            using var lease = Lease.Take(_engine.Layout, [LayerStore.ChainIdOf(parent, layer.DiffId), blobDigest.ToString()]);
            var config = Config(baseConfig, record, request, layer.DiffId);
            var configDigest = _engine.Content.Put(JsonSerializer.SerializeToUtf8Bytes(config, OciJsonContext.Default.OciImageConfig));
            var committed = new ImageRecord
            {
                Id = configDigest.ToString(),
                Stored = DateTimeOffset.UtcNow,
                Layers = [.. image.Layers, new ImageLayer { DiffId = layer.DiffId, Digest = blobDigest.ToString(), MediaType = MediaTypes.OciLayerGzip, Size = size }],
            };
            using (_engine.Layout.Lock()) _engine.ImageStore.Put(committed);
            foreach (var tag in request.Tags) _engine.Images.Tag(committed, tag);
            return committed;
        }
        finally
        {
            File.Delete(staging);
        }
    }

    private static OciImageConfig Config(OciImageConfig baseConfig, ContainerRecord container, CommitRequest request, string diffId)
    {
        var config = BuildState.Clone(baseConfig);
        var run = config.Config ??= new OciRunConfig();
        var settings = container.Settings;
        if (settings.Entrypoint is not null) { run.Entrypoint = settings.Entrypoint; run.Cmd = settings.Command; }
        else if (settings.Command is not null) run.Cmd = settings.Command;
        run.Env ??= new List<string>();
        foreach (var entry in settings.Environment) EnvironmentList.Set(run.Env, entry);
        if (settings.WorkingDirectory is not null) run.WorkingDir = settings.WorkingDirectory;
        if (settings.User is not null) run.User = settings.User;
        foreach (var (key, value) in settings.Labels) (run.Labels ??= new Dictionary<string, string>())[key] = value;
        ImageChanges.Apply(run, request.Changes);
        var now = DateTimeOffset.UtcNow;
        config.Created = now;
        if (request.Author is not null) config.Author = request.Author;
        config.RootFs = new OciRootFs { DiffIds = [.. baseConfig.RootFs.DiffIds, diffId] };
        config.History = [.. baseConfig.History ?? [], new OciHistory { Created = now, CreatedBy = string.Join(' ', container.Command), Comment = request.Message, Author = request.Author }];
        return config;
    }
}
