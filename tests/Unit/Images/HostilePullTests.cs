using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;
using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Images;

/// <summary>
/// Pulls from a registry on 127.0.0.1 that serves whatever a test puts in it, lies included. With one image
/// already stored, a manifest naming that image's layer must still bring the very bytes it promises.
/// </summary>
public sealed class HostilePullTests : IDisposable
{
    private const string Repository = "hostile/app";
    private readonly FakeTokenRegistry _registry = new();
    private readonly string _root = Directory.CreateTempSubdirectory("psc-hostile-").FullName;
    private readonly string _configDir = Directory.CreateTempSubdirectory("psc-hostilecfg-").FullName;
    private readonly ContainerEngine _engine;

    public HostilePullTests() => _engine = ContainerEngine.Open(new EngineOptions(_root, _root + "-run", null));

    public void Dispose()
    {
        _registry.Dispose();
        Directory.Delete(_root, recursive: true);
        if (Directory.Exists(_root + "-run")) Directory.Delete(_root + "-run", recursive: true);
        Directory.Delete(_configDir, recursive: true);
    }

    private static byte[] Tar(string name, string content)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        return tar.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    private static string Descriptor(string mediaType, Digest digest, long size, string extra = "") =>
        $$"""{"mediaType":"{{mediaType}}","digest":"{{digest}}","size":{{size}}{{extra}}}""";

    /// <summary>Serves a config with <paramref name="diffIds"/> and a manifest with <paramref name="layers"/> under <paramref name="tag"/>.</summary>
    private void Serve(string tag, IEnumerable<string> diffIds, IEnumerable<string> layers, string? contentType = MediaTypes.OciManifest, string extra = "",
        string? bodyType = MediaTypes.OciManifest)
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["""
            + string.Join(",", diffIds.Select(d => $"\"{d}\"")) + "]}}");
        _registry.Blobs[Digest.Of(config).ToString()] = config;
        var typed = bodyType is null ? "" : $"\"mediaType\":\"{bodyType}\",";
        var configDescriptor = Descriptor(MediaTypes.OciConfig, Digest.Of(config), config.Length);
        var manifest = Encoding.UTF8.GetBytes("{\"schemaVersion\":2," + typed + "\"config\":" + configDescriptor + ",\"layers\":[" + string.Join(",", layers) + "]" + extra + "}");
        _registry.Manifests[$"{Repository}:{tag}"] = (manifest, contentType, null);
    }

    /// <summary>Serves an honest one-layer image and returns its blob, its digest and its diff id.</summary>
    private (byte[] Blob, Digest Digest, string DiffId) ServeHonest(string tag, string content)
    {
        var tar = Tar("file.txt", content);
        var blob = Gzip(tar);
        _registry.Blobs[Digest.Of(blob).ToString()] = blob;
        Serve(tag, [Digest.Of(tar).ToString()], [Descriptor(MediaTypes.OciLayerGzip, Digest.Of(blob), blob.Length)]);
        return (blob, Digest.Of(blob), Digest.Of(tar).ToString());
    }

    private Task<ImageRecord> PullAsync(string tag, List<PullProgress>? progress = null) =>
        _engine.ImagePuller.PullAsync(ImageReference.Parse($"{_registry.Registry.Host}/{Repository}:{tag}"), new RegistryClientOptions
        {
            CredentialStore = new RegistryCredentialStore(Path.Combine(_configDir, "config.json")),
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        }, null, p => { lock (progress ?? []) progress?.Add(p); }, CancellationToken.None);

    private async Task<EngineException> RefusedAsync(string tag) => await Assert.ThrowsAsync<EngineException>(() => PullAsync(tag));

    [Fact]
    public async Task APresentLayerIsReusedForTheBlobTheStoreVerified()
    {
        var (blob, digest, diffId) = ServeHonest("v1", "same");
        await PullAsync("v1");
        Serve("v2", [diffId], [Descriptor(MediaTypes.DockerLayerGzip, digest, blob.Length)], MediaTypes.DockerManifest, bodyType: MediaTypes.DockerManifest);
        var progress = new List<PullProgress>();

        await PullAsync("v2", progress);

        Assert.Contains(progress, p => p.Status == "Already exists");
        Assert.DoesNotContain(progress, p => p.Status == "Downloading");
    }

    [Fact]
    public async Task ABlobThatDoesNotHashToItsDigestIsRefusedThoughItsLayerIsPresent()
    {
        var (blob, _, diffId) = ServeHonest("v1", "present");
        await PullAsync("v1");
        // Another digest for the same diff id: the store never read this blob, and the registry serves the old bytes under it.
        var claimed = Digest.Of("some other blob"u8);
        _registry.Blobs[claimed.ToString()] = blob;
        Serve("v2", [diffId], [Descriptor(MediaTypes.OciLayerGzip, claimed, blob.Length)]);

        var error = await RefusedAsync("v2");

        Assert.Equal("DigestMismatch", error.ErrorId);
        Assert.False(_engine.Content.Exists(claimed));
        Assert.Single(_engine.ImageStore.List());
    }

    [Fact]
    public async Task ABlobOfAnotherSizeThanItsDescriptorIsRefusedThoughItsLayerIsPresent()
    {
        var (blob, digest, diffId) = ServeHonest("v1", "sized");
        await PullAsync("v1");
        Serve("v2", [diffId], [Descriptor(MediaTypes.OciLayerGzip, digest, blob.Length + 1)]);

        var error = await RefusedAsync("v2");

        Assert.Equal("SizeMismatch", error.ErrorId);
        Assert.Single(_engine.ImageStore.List());
    }

    [Fact]
    public async Task ALayerClaimingExabytesIsRefusedBeforeAnythingIsFetched()
    {
        var (_, digest, diffId) = ServeHonest("v1", "huge");
        await PullAsync("v1");
        Serve("v2", [diffId], [Descriptor(MediaTypes.OciLayerGzip, digest, 4L << 60)]);
        var before = _registry.CdnRanges.Count;

        var error = await RefusedAsync("v2");

        Assert.Equal("LayerTooLarge", error.ErrorId);
        Assert.Equal(before, _registry.CdnRanges.Count);
    }

    [Fact]
    public async Task ANegativeSizeIsRefused()
    {
        var (_, digest, diffId) = ServeHonest("v1", "negative");
        Serve("v2", [diffId], [Descriptor(MediaTypes.OciLayerGzip, digest, -1)]);
        Assert.Equal("LayerTooLarge", (await RefusedAsync("v2")).ErrorId);
    }

    [Fact]
    public async Task ALayerOfAnUnknownMediaTypeIsRefused()
    {
        var (blob, digest, diffId) = ServeHonest("v1", "typed");
        Serve("v2", [diffId], [Descriptor("application/vnd.example.secret+json", digest, blob.Length)]);

        var error = await RefusedAsync("v2");

        Assert.Equal("UnsupportedMediaType", error.ErrorId);
        Assert.Contains("application/vnd.example.secret+json", error.Message);
        Assert.Empty(_engine.Layers.List());
    }

    [Theory]
    [InlineData("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip")]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip")]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip")]
    [InlineData("application/vnd.oci.image.layer.v1.tar")]
    public async Task LayersOfTheTypesDockerPullsAreFetchedByDigestFromTheRegistry(string mediaType)
    {
        var tar = Tar("foreign.txt", mediaType);
        var blob = Gzip(tar);
        _registry.Blobs[Digest.Of(blob).ToString()] = blob;
        Serve("v1", [Digest.Of(tar).ToString()],
            [Descriptor(mediaType, Digest.Of(blob), blob.Length, ""","urls":["https://example.invalid/never-fetched"]""")]);

        var image = await PullAsync("v1");

        Assert.Equal(Digest.Of(tar).ToString(), Assert.Single(image.Layers).DiffId);
        Assert.Equal(mediaType, File.ReadAllText(Path.Combine(_engine.Layers.DiffDir(Digest.Of(tar).ToString()), "foreign.txt")));
    }

    [Fact]
    public async Task AContentTypeThatContradictsTheBodyIsRefused()
    {
        var (blob, digest, diffId) = ServeHonest("v1", "typed");
        Serve("v2", [diffId], [Descriptor(MediaTypes.OciLayerGzip, digest, blob.Length)], MediaTypes.DockerManifest, bodyType: MediaTypes.OciManifest);

        var error = await RefusedAsync("v2");

        Assert.Equal("InvalidManifest", error.ErrorId);
        Assert.Contains(MediaTypes.OciManifest, error.Message);
        Assert.Contains(MediaTypes.DockerManifest, error.Message);
    }

    [Theory]
    [InlineData(MediaTypes.OciManifest, MediaTypes.OciManifest)]
    [InlineData(MediaTypes.OciIndex, null)]
    [InlineData(null, null)]
    [InlineData("application/json", null)]
    public async Task ADocumentWithBothManifestsAndLayersIsRefused(string? contentType, string? bodyType)
    {
        var (blob, digest, diffId) = ServeHonest("v1", "ambiguous");
        var entry = Descriptor(MediaTypes.OciManifest, Digest.Of("elsewhere"u8), 10, ""","platform":{"architecture":"amd64","os":"linux"}""");
        Serve("v2", [diffId], [Descriptor(MediaTypes.OciLayerGzip, digest, blob.Length)], contentType, $$""","manifests":[{{entry}}]""", bodyType);

        var error = await RefusedAsync("v2");

        Assert.Equal("InvalidManifest", error.ErrorId);
        Assert.Contains("both", error.Message);
    }

    [Fact]
    public async Task AnIndexTypedDocumentWithImageFieldsIsRefused()
    {
        var (blob, digest, diffId) = ServeHonest("v1", "index");
        Serve("v2", [diffId], [Descriptor(MediaTypes.OciLayerGzip, digest, blob.Length)], MediaTypes.OciIndex, bodyType: null);

        var error = await RefusedAsync("v2");

        Assert.Equal("InvalidManifest", error.ErrorId);
        Assert.Contains("fields of an image manifest", error.Message);
    }
}
