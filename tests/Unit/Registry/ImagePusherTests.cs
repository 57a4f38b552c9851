using System.IO.Compression;
using System.Text.Json;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Registry;
using MediaTypes = PSContainer.Engine.Registry.MediaTypes;
using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Registry;

/// <summary>Pushing stored images to Debian's docker-registry on 127.0.0.1, checked with skopeo.</summary>
public sealed class ImagePusherTests : IClassFixture<PlainRegistryFixture>, IDisposable
{
    private readonly DistributionRegistry _server;
    private readonly TestStore _store = new();
    private readonly string _configDir = Directory.CreateTempSubdirectory("psc-cfg-").FullName;

    public ImagePusherTests(PlainRegistryFixture fixture) => _server = fixture.Server;

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_configDir, recursive: true);
    }

    private RegistryClientOptions Options() => new()
    {
        CredentialStore = new RegistryCredentialStore(Path.Combine(_configDir, "config.json")),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    private ImagePusher Pusher(int? chunkSize) => new(_store.Engine.Layout, _store.Engine.Content, _store.Engine.ImageStore, _store.Engine.Images, Options()) { ChunkSize = chunkSize };

    private Task<ImagePushResult> PushAsync(string image, string? destination, List<PushProgress>? progress = null, int? chunkSize = ImagePusher.DefaultChunkSize) =>
        Pusher(chunkSize).PushAsync(image, destination, progress is null ? null : p => { lock (progress) progress.Add(p); }, CancellationToken.None);

    [Fact]
    public async Task PushesAnImportedImageAsGzipThatSkopeoReads()
    {
        var skopeo = Tools.Require("/usr/bin/skopeo", "skopeo");
        var image = _store.Import("psc-push:latest", "hello from the pusher");
        var tar = image.Layers[0];
        Assert.Equal(MediaTypes.OciLayerTar, tar.MediaType);

        var result = await PushAsync("psc-push:latest", $"{_server.Host}/psc/pushed:v1");

        var stored = _store.Reload(image);
        var gzip = Assert.Single(stored.Layers);
        Assert.Equal(MediaTypes.OciLayerGzip, gzip.MediaType);
        Assert.Equal(tar.DiffId, gzip.DiffId);
        Assert.NotEqual(tar.Digest, gzip.Digest);
        Assert.Equal(tar.DiffId, Digest.Of(Gunzip(File.ReadAllBytes(_store.Engine.Content.PathOf(Digest.Parse(gzip.Digest))))).ToString());
        Assert.Equal([$"{_server.Host}/psc/pushed@{result.Digest}"], stored.RepoDigests);
        Assert.Equal($"{_server.Host}/psc/pushed:v1", result.Reference);
        Assert.Equal($"{_server.Host}/psc/pushed", result.Repository);
        Assert.Equal("v1", result.Tag);
        Assert.Equal(image.Id, result.ImageId);
        Assert.Equal(2, result.UploadedBlobs);

        var reference = $"docker://{_server.Host}/psc/pushed:v1";
        var inspect = JsonDocument.Parse(Tools.Run(skopeo, "inspect", "--tls-verify=false", reference)).RootElement;
        Assert.Equal(result.Digest, inspect.GetProperty("Digest").GetString());
        Assert.Equal([gzip.Digest], inspect.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));

        var raw = JsonDocument.Parse(Tools.Run(skopeo, "inspect", "--raw", "--tls-verify=false", reference)).RootElement;
        Assert.Equal(MediaTypes.OciManifest, raw.GetProperty("mediaType").GetString());
        Assert.Equal(MediaTypes.OciConfig, raw.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Equal(image.Id, raw.GetProperty("config").GetProperty("digest").GetString());
        var rawLayer = Assert.Single(raw.GetProperty("layers").EnumerateArray());
        Assert.Equal(MediaTypes.OciLayerGzip, rawLayer.GetProperty("mediaType").GetString());
        Assert.Equal(gzip.Digest, rawLayer.GetProperty("digest").GetString());
        Assert.Equal(gzip.Size, rawLayer.GetProperty("size").GetInt64());

        var config = JsonDocument.Parse(Tools.Run(skopeo, "inspect", "--config", "--tls-verify=false", reference)).RootElement;
        Assert.Equal(tar.DiffId, config.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString());
        Assert.Equal("/bin/hello", config.GetProperty("config").GetProperty("Cmd")[0].GetString());

        var layout = Directory.CreateTempSubdirectory("psc-oci-").FullName;
        try
        {
            Tools.Run(skopeo, "copy", "--src-tls-verify=false", reference, $"oci:{layout}:v1");
            var copied = Path.Combine(layout, "blobs", "sha256", Digest.Parse(gzip.Digest).Hex);
            Assert.Equal(tar.DiffId, Digest.Of(Gunzip(File.ReadAllBytes(copied))).ToString());
        }
        finally
        {
            Directory.Delete(layout, recursive: true);
        }
    }

    [Fact]
    public async Task SecondPushSkipsEveryBlobAndCompressesNothing()
    {
        _store.Import("psc-twice:latest", "pushed twice");
        var first = await PushAsync("psc-twice:latest", $"{_server.Host}/psc/twice:1");
        var progress = new List<PushProgress>();
        var second = await PushAsync("psc-twice:latest", $"{_server.Host}/psc/twice:1", progress);

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal((0, 0, 2), (second.UploadedBlobs, second.MountedBlobs, second.ExistingBlobs));
        Assert.DoesNotContain(progress, p => p.Phase is PushPhase.Compressing or PushPhase.Uploading);
        Assert.Equal(PushPhase.Exists, Assert.Single(progress).Phase);
    }

    [Fact]
    public async Task MountsBlobsFromAnotherRepositoryItWasPushedTo()
    {
        var image = _store.Import("psc-mount:latest", "mounted");
        var first = await PushAsync("psc-mount:latest", $"{_server.Host}/psc/mount-a:1");
        var second = await PushAsync("psc-mount:latest", $"{_server.Host}/psc/mount-b:1");

        Assert.Equal((0, 2, 0), (second.UploadedBlobs, second.MountedBlobs, second.ExistingBlobs));
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal([$"{_server.Host}/psc/mount-a@{first.Digest}", $"{_server.Host}/psc/mount-b@{second.Digest}"], _store.Reload(image).RepoDigests);
    }

    [Fact]
    public async Task UploadsBigLayersInChunksAndReportsProgress()
    {
        var content = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(300_000));
        var image = _store.Import("psc-chunks:latest", content);
        var progress = new List<PushProgress>();
        var result = await PushAsync("psc-chunks:latest", $"{_server.Host}/psc/chunks:1", progress, chunkSize: 16 * 1024);

        var layer = Assert.Single(_store.Reload(image).Layers);
        Assert.True(layer.Size > 4 * 16 * 1024);
        Assert.Equal(2, result.UploadedBlobs);
        using var client = new RegistryClient(_server.Host, Options());
        await using var blob = await client.GetBlobAsync("psc/chunks", Digest.Parse(layer.Digest));
        var copy = new MemoryStream();
        await blob.CopyToAsync(copy);
        Assert.Equal(layer.Digest, Digest.Of(copy.ToArray()).ToString());

        var phases = progress.Select(p => p.Phase).Distinct().ToList();
        Assert.Equal([PushPhase.Compressing, PushPhase.Uploading, PushPhase.Uploaded], phases);
        var uploads = progress.Where(p => p.Phase == PushPhase.Uploading).ToList();
        Assert.True(uploads.Count > 2);
        Assert.Equal(uploads.Select(p => p.Bytes).Order(), uploads.Select(p => p.Bytes));
        Assert.Equal(layer.Size, uploads[^1].Bytes);
        Assert.All(progress, p => Assert.Equal((0, 1), (p.Index, p.Count)));
    }

    [Fact]
    public async Task PushesUnderTheImagesOwnName()
    {
        var name = $"{_server.Host}/psc/own:2";
        _store.Import(name, "own name");
        var result = await PushAsync(name, null);
        Assert.Equal(name, result.Reference);
        var tags = await ImageFinder.ListTagsAsync($"{_server.Host}/psc/own", Options(), CancellationToken.None);
        var tag = Assert.Single(tags);
        Assert.Equal((name, $"{_server.Host}/psc/own", "2"), (tag.Reference, tag.Repository, tag.Tag));
    }

    [Fact]
    public async Task RefusesToGuessWhereAnUntaggedImageGoes()
    {
        var image = _store.Import("psc-guess:latest", "guess");
        var byId = await Assert.ThrowsAsync<EngineException>(() => PushAsync(Digest.Parse(image.Id).Hex[..12], null));
        Assert.Equal("PushDestinationRequired", byId.ErrorId);
        var byDigest = await Assert.ThrowsAsync<EngineException>(() => PushAsync("psc-guess", $"{_server.Host}/psc/x@{image.Id}"));
        Assert.Equal("InvalidPushDestination", byDigest.ErrorId);
        var missing = await Assert.ThrowsAsync<EngineException>(() => PushAsync("psc-absent:1", $"{_server.Host}/psc/x:1"));
        Assert.Equal("ImageNotFound", missing.ErrorId);
    }

    [Fact]
    public async Task FindingTagsOfAnUnknownRepositoryIsNameUnknown()
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => ImageFinder.ListTagsAsync($"{_server.Host}/psc/nothing-here", Options(), CancellationToken.None));
        Assert.Equal("NameUnknown", error.ErrorId);
        var tagged = await Assert.ThrowsAsync<EngineException>(() => ImageFinder.ListTagsAsync($"{_server.Host}/psc/x:1", Options(), CancellationToken.None));
        Assert.Equal("InvalidRepository", tagged.ErrorId);
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
