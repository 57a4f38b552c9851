using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;
using PSContainer.Engine.References;
using PSContainer.Engine.Registry;
using PSContainer.Tests.Registry;
using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Images;

/// <summary>Pulls from Debian's docker-registry on 127.0.0.1 into a private store.</summary>
public sealed class ImagePullerTests : IClassFixture<PlainRegistryFixture>, IDisposable
{
    private readonly DistributionRegistry _server;
    private readonly string _root = Directory.CreateTempSubdirectory("psc-pull-").FullName;
    private readonly string _configDir = Directory.CreateTempSubdirectory("psc-pullcfg-").FullName;
    private readonly ContainerEngine _engine;

    public ImagePullerTests(PlainRegistryFixture fixture)
    {
        _server = fixture.Server;
        _engine = ContainerEngine.Open(new EngineOptions(_root, _root + "-run", null));
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        if (Directory.Exists(_root + "-run")) Directory.Delete(_root + "-run", recursive: true);
        Directory.Delete(_configDir, recursive: true);
    }

    private RegistryClientOptions Options() => new()
    {
        CredentialStore = new RegistryCredentialStore(Path.Combine(_configDir, "config.json")),
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    private static byte[] Layer(params (string Name, string? Content)[] entries)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = content is null
                    ? new PaxTarEntry(TarEntryType.Directory, name)
                    : new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
                writer.WriteEntry(entry);
            }
        }
        return tar.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Pushes an image of the given uncompressed layers (gzipped on the wire); returns config digest.</summary>
    private async Task<(Digest Config, Digest Manifest)> PushAsync(string repository, string tag, IReadOnlyList<byte[]> layers, IReadOnlyList<string>? diffIdsOverride = null)
    {
        using var client = new RegistryClient(_server.Host, Options());
        var descriptors = new List<Descriptor>();
        foreach (var layer in layers)
        {
            var blob = Gzip(layer);
            await client.PushBlobAsync(repository, Digest.Of(blob), blob.Length, new MemoryStream(blob));
            descriptors.Add(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Of(blob), Size = blob.Length });
        }
        var diffIds = diffIdsOverride ?? layers.Select(l => Digest.Of(l).ToString()).ToList();
        var config = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            architecture = "amd64", os = "linux", config = new { Cmd = new[] { "/bin/sh" } },
            rootfs = new { type = "layers", diff_ids = diffIds },
        }));
        await client.PushBlobAsync(repository, Digest.Of(config), config.Length, new MemoryStream(config));
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Of(config), Size = config.Length },
            Layers = descriptors,
        }, RegistryJsonContext.Default.ImageManifest);
        await client.PutManifestAsync(repository, tag, manifest, MediaTypes.OciManifest);
        return (Digest.Of(config), Digest.Of(manifest));
    }

    private Task<ImageRecord> PullAsync(string reference, List<PullProgress>? progress = null) =>
        _engine.ImagePuller.PullAsync(ImageReference.Parse(reference), Options(), null, p => { lock (progress ?? []) progress?.Add(p); }, CancellationToken.None);

    [Fact]
    public async Task PullsAMultiLayerImageWithWhiteouts()
    {
        var layers = new[]
        {
            Layer(("etc/", null), ("etc/a.conf", "a"), ("etc/b.conf", "b")),
            Layer(("etc/", null), ("etc/.wh.a.conf", ""), ("etc/c.conf", "c")),
            Layer(("app/", null), ("app/run", "#!/bin/sh")),
        };
        var (config, manifest) = await PushAsync("pull/multi", "v1", layers);

        var image = await PullAsync($"{_server.Host}/pull/multi:v1");

        Assert.Equal(config.ToString(), image.Id);
        Assert.Equal(manifest.ToString(), image.ManifestDigest);
        Assert.Contains($"{_server.Host}/pull/multi@{manifest}", image.RepoDigests);
        Assert.Equal(image.Id, _engine.Images.Resolve($"{_server.Host}/pull/multi:v1").Id);
        var chains = LayerStore.ChainIdsOf(image.Layers.Select(l => l.DiffId));
        Assert.All(chains, c => Assert.True(_engine.Layers.Exists(c)));
        var whiteout = Path.Combine(_engine.Layers.DiffDir(chains[1]), "etc", "a.conf");
        Assert.True(OverlayWhiteout.IsWhiteout(whiteout));
        Assert.Equal("c", File.ReadAllText(Path.Combine(_engine.Layers.DiffDir(chains[1]), "etc", "c.conf")));
        Assert.All(image.Layers, l => Assert.True(_engine.Content.Exists(Digest.Parse(l.Digest))));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_engine.Layout.TempDir));
    }

    [Fact]
    public async Task DoesNotFetchLayersAlreadyInTheStore()
    {
        var baseLayer = Layer(("base.txt", "base"));
        await PushAsync("pull/first", "v1", [baseLayer]);
        await PushAsync("pull/second", "v1", [baseLayer, Layer(("top.txt", "top"))]);
        await PullAsync($"{_server.Host}/pull/first:v1");
        var progress = new List<PullProgress>();

        await PullAsync($"{_server.Host}/pull/second:v1", progress);

        Assert.Contains(progress, p => p.Layer == 0 && p.Status == "Already exists");
        Assert.DoesNotContain(progress, p => p.Layer == 0 && p.Status == "Downloading");
        Assert.Contains(progress, p => p.Layer == 1 && p.Status == "Pull complete");
    }

    [Fact]
    public async Task ADiffIdMismatchLeavesNothingStored()
    {
        var layer = Layer(("x.txt", "x"));
        var wrong = Digest.Of("not this layer"u8).ToString();
        await PushAsync("pull/lying", "v1", [layer], [wrong]);

        var ex = await Assert.ThrowsAsync<EngineException>(() => PullAsync($"{_server.Host}/pull/lying:v1"));

        Assert.Equal("DiffIdMismatch", ex.ErrorId);
        Assert.Empty(_engine.ImageStore.List());
        Assert.Empty(_engine.Layers.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_engine.Layout.TempDir));
        Assert.False(_engine.Content.Exists(Digest.Of(Gzip(layer))));
    }

    [Fact]
    public async Task AMissingTagIsReportedAsManifestUnknown()
    {
        var ex = await Assert.ThrowsAsync<EngineException>(() => PullAsync($"{_server.Host}/pull/absent:v1"));
        Assert.Equal("ManifestUnknown", ex.ErrorId);
    }

    [Fact]
    public async Task APinnedDigestMustMatch()
    {
        var (_, manifest) = await PushAsync("pull/pinned", "v1", [Layer(("p.txt", "p"))]);
        var image = await PullAsync($"{_server.Host}/pull/pinned@{manifest}");
        Assert.Equal(manifest.ToString(), image.ManifestDigest);

        var other = Digest.Of("another manifest"u8);
        await Assert.ThrowsAsync<EngineException>(() => PullAsync($"{_server.Host}/pull/pinned@{other}"));
    }

    [Theory]
    [InlineData(1000, 1L << 30)]
    [InlineData(100L << 20, 20000L << 20)]
    public void BoundsExpansionOfCompressedLayers(long compressed, long limit) =>
        Assert.Equal(limit, LayerDecompression.ExpansionLimit(compressed));
}
