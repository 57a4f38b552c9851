using System.Text.Json;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Registry;
using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Registry;

/// <summary>The client against Debian's docker-registry over plain HTTP on 127.0.0.1, checked with skopeo.</summary>
public sealed class DistributionRegistryTests : IClassFixture<PlainRegistryFixture>, IDisposable
{
    private readonly DistributionRegistry _server;
    private readonly RegistryClient _client;
    private readonly string _configDir = Directory.CreateTempSubdirectory("psc-cfg-").FullName;

    public DistributionRegistryTests(PlainRegistryFixture fixture)
    {
        _server = fixture.Server;
        _client = new RegistryClient(_server.Host, Options());
    }

    private RegistryClientOptions Options() => new()
    {
        CredentialStore = new RegistryCredentialStore(Path.Combine(_configDir, "config.json")),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_configDir, recursive: true);
    }

    [Fact]
    public async Task PushesAndReadsBackAnImage()
    {
        var image = new TestImage("push and read");
        await image.PushAsync(_client, "psc/roundtrip", "v1");

        var manifest = await _client.GetManifestAsync("psc/roundtrip", "v1");
        Assert.Equal(image.Manifest, manifest.Content);
        Assert.Equal(image.ManifestDigest, manifest.Digest);
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(image.LayerDigest, manifest.ParseManifest().Layers[0].Digest);

        var byDigest = await _client.GetManifestAsync("psc/roundtrip", image.ManifestDigest.ToString());
        Assert.Equal(image.Manifest, byDigest.Content);

        var head = await _client.HeadManifestAsync("psc/roundtrip", "v1");
        Assert.Equal(image.ManifestDigest, head!.Digest);
        Assert.Equal(image.Manifest.Length, head.Size);
        Assert.Null(await _client.HeadManifestAsync("psc/roundtrip", "nope"));

        Assert.True(await _client.BlobExistsAsync("psc/roundtrip", image.LayerDigest));
        Assert.False(await _client.BlobExistsAsync("psc/roundtrip", Digest.Of("absent"u8)));
        await using var blob = await _client.GetBlobAsync("psc/roundtrip", image.LayerDigest);
        var copy = new MemoryStream();
        await blob.CopyToAsync(copy);
        Assert.Equal(image.Layer, copy.ToArray());
        Assert.Equal(image.Layer.Length, blob.TotalLength);
    }

    [Fact]
    public async Task SecondPushFindsBlobsPresent()
    {
        var image = new TestImage("twice");
        await image.PushAsync(_client, "psc/twice", "a");
        Assert.Equal(BlobPushResult.AlreadyExists, await _client.PushBlobAsync("psc/twice", image.LayerDigest, image.Layer.Length, new MemoryStream(image.Layer)));
    }

    [Fact]
    public async Task ResumesABlobFromAnOffset()
    {
        var image = new TestImage(new string('x', 5000));
        await image.PushAsync(_client, "psc/range", "v1");
        await using var blob = await _client.GetBlobAsync("psc/range", image.LayerDigest, offset: 10);
        var rest = new MemoryStream();
        await blob.CopyToAsync(rest);
        Assert.Equal(image.Layer[10..], rest.ToArray());
    }

    [Fact]
    public async Task UploadsInChunks()
    {
        var image = new TestImage(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20000)));
        Assert.True(image.Layer.Length > 3 * 4096);
        var result = await _client.PushBlobAsync("psc/chunked", image.LayerDigest, image.Layer.Length, new MemoryStream(image.Layer), new BlobUploadOptions { ChunkSize = 4096 });
        Assert.Equal(BlobPushResult.Uploaded, result);
        await using var blob = await _client.GetBlobAsync("psc/chunked", image.LayerDigest);
        var copy = new MemoryStream();
        await blob.CopyToAsync(copy);
        Assert.Equal(image.Layer, copy.ToArray());
    }

    [Fact]
    public async Task MountsBlobsAcrossRepositories()
    {
        var image = new TestImage("mount me");
        await image.PushAsync(_client, "psc/source", "v1");
        var mounted = await _client.PushBlobAsync("psc/target", image.LayerDigest, image.Layer.Length, Stream.Null, new BlobUploadOptions { MountFrom = "psc/source" });
        Assert.Equal(BlobPushResult.Mounted, mounted);
        Assert.True(await _client.BlobExistsAsync("psc/target", image.LayerDigest));
    }

    [Fact]
    public async Task MountFromARepositoryWithoutTheBlobUploadsInstead()
    {
        var image = new TestImage("no source");
        var result = await _client.PushBlobAsync("psc/target2", image.LayerDigest, image.Layer.Length, new MemoryStream(image.Layer), new BlobUploadOptions { MountFrom = "psc/empty" });
        Assert.Equal(BlobPushResult.Uploaded, result);
    }

    [Fact]
    public async Task ListsTagsAcrossPages()
    {
        var image = new TestImage("tags");
        string[] tags = ["1.0", "1.1", "2.0", "latest", "rc"];
        foreach (var tag in tags)
            await image.PushAsync(_client, "psc/tags", tag);
        Assert.Equal(tags, (await _client.ListTagsAsync("psc/tags")).Order());
        Assert.Equal(tags, (await _client.ListTagsAsync("psc/tags", pageSize: 2)).Order());
    }

    [Fact]
    public async Task UnknownManifestAndRepository()
    {
        var manifest = await Assert.ThrowsAsync<EngineException>(() => _client.GetManifestAsync("psc/missing", "v1"));
        Assert.Equal("ManifestUnknown", manifest.ErrorId);
        Assert.Equal(EngineErrorKind.NotFound, manifest.Kind);
        var tags = await Assert.ThrowsAsync<EngineException>(() => _client.ListTagsAsync("psc/never-pushed"));
        Assert.Equal("NameUnknown", tags.ErrorId);
    }

    [Fact]
    public async Task PushedManifestMustMatchItsDigestReference()
    {
        var image = new TestImage("pinned");
        var wrong = Digest.Of("other"u8).ToString();
        var error = await Assert.ThrowsAsync<EngineException>(() => _client.PutManifestAsync("psc/pinned", wrong, image.Manifest, MediaTypes.OciManifest));
        Assert.Equal("DigestMismatch", error.ErrorId);
    }

    [Fact]
    public async Task SkopeoSeesWhatWasPushed()
    {
        var skopeo = Tools.Require("/usr/bin/skopeo", "skopeo");
        var image = new TestImage("independent check");
        await image.PushAsync(_client, "psc/skopeo", "v7");

        var inspect = JsonDocument.Parse(Tools.Run(skopeo, "inspect", "--tls-verify=false", $"docker://{_server.Host}/psc/skopeo:v7")).RootElement;
        Assert.Equal(image.ManifestDigest.ToString(), inspect.GetProperty("Digest").GetString());
        Assert.Equal(image.LayerDigest.ToString(), inspect.GetProperty("Layers")[0].GetString());
        Assert.Equal("amd64", inspect.GetProperty("Architecture").GetString());

        var raw = Tools.Run(skopeo, "inspect", "--raw", "--tls-verify=false", $"docker://{_server.Host}/psc/skopeo:v7");
        Assert.Equal(image.Manifest, System.Text.Encoding.UTF8.GetBytes(raw.TrimEnd('\n')));
    }

    [Fact]
    public async Task ReadsWhatSkopeoPushed()
    {
        var skopeo = Tools.Require("/usr/bin/skopeo", "skopeo");
        var image = new TestImage("pushed by skopeo");
        await image.PushAsync(_client, "psc/from-us", "v1");
        Tools.Run(skopeo, "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--format", "v2s2",
            $"docker://{_server.Host}/psc/from-us:v1", $"docker://{_server.Host}/psc/from-skopeo:v2");

        var manifest = await _client.GetManifestAsync("psc/from-skopeo", "v2");
        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        var layer = manifest.ParseManifest().Layers[0];
        await using var blob = await _client.GetBlobAsync("psc/from-skopeo", layer.Digest);
        var copy = new MemoryStream();
        await blob.CopyToAsync(copy);
        Assert.Equal(layer.Digest, Digest.Of(copy.ToArray()));
    }
}
