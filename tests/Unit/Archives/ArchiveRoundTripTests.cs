using System.Text.Json;
using PSContainer.Engine;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Content;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Registry;
using PSContainer.Tests.Layers;
using PSContainer.Engine.Images;

namespace PSContainer.Tests.Archives;

/// <summary>Export-Image and Import-Image engines: archives written here load back with the same ids and layers.</summary>
public sealed class ArchiveRoundTripTests : IDisposable
{
    private readonly ArchiveStore _first = new();
    private readonly ArchiveStore _second = new();

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    internal static byte[] Rootfs(string greeting) => new TarBuilder()
        .Dir("bin/").File("bin/hello", "#!/bin/sh\necho " + greeting + "\n", (UnixFileMode)0x1ED).Symlink("bin/hi", "hello")
        .Dir("etc/").File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
        .Dir("tmp/", (UnixFileMode)0x3FF)
        .Build();

    [Fact]
    public void DockerArchiveRoundTripKeepsTheIdAndDiffIds()
    {
        var original = _first.ImportRootfs(Rootfs("docker"), "busybox:latest");
        var archive = _first.File("busybox.tar");
        _first.Export(archive, ImageArchiveFormat.DockerArchive, "busybox:latest");

        var names = ArchiveBuilder.Names(archive);
        Assert.Equal(["oci-layout", "index.json", "manifest.json"], names.Take(3));
        Assert.Contains("blobs/sha256/" + Digest.Parse(original.Id).Hex, names);
        Assert.Contains("blobs/sha256/" + Digest.Parse(original.Layers[0].Digest).Hex, names);
        using (var manifest = JsonDocument.Parse(ArchiveBuilder.Read(archive, "manifest.json")))
        {
            var entry = manifest.RootElement[0];
            Assert.Equal("blobs/sha256/" + Digest.Parse(original.Id).Hex, entry.GetProperty("Config").GetString());
            Assert.Equal("busybox:latest", entry.GetProperty("RepoTags")[0].GetString());
        }
        var index = JsonSerializer.Deserialize(ArchiveBuilder.Read(archive, "index.json"), RegistryJsonContext.Default.ImageIndex)!;
        Assert.Equal("docker.io/library/busybox:latest", index.Manifests[0].Annotations!["io.containerd.image.name"]);
        Assert.Equal("latest", index.Manifests[0].Annotations!["org.opencontainers.image.ref.name"]);

        var imported = Assert.Single(_second.Import(archive));
        Assert.Equal(original.Id, imported.Image.Id);
        Assert.Equal("docker.io/library/busybox:latest", imported.Tag);
        Assert.Equal(_first.DiffIds("busybox"), _second.DiffIds("busybox:latest"));
        Assert.Equal(original.Layers[0].Digest, imported.Image.Layers[0].Digest);
        Assert.True(_second.HasLayers("busybox"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_second.Engine.Layout.TempDir));
        Assert.Equal("#!/bin/sh\necho docker\n", File.ReadAllText(Path.Combine(_second.Engine.Layers.DiffDir(LayerStore.ChainIdsOf(_second.DiffIds("busybox"))[0]), "bin/hello")));
    }

    [Fact]
    public void OciArchiveRoundTripKeepsTheIdAndDiffIds()
    {
        var original = _first.ImportRootfs(Rootfs("oci"), "registry.local:5000/team/app:1.0");
        var archive = _first.File("app.tar");
        _first.Export(archive, ImageArchiveFormat.OciArchive, "registry.local:5000/team/app:1.0");

        var names = ArchiveBuilder.Names(archive);
        Assert.Equal(["oci-layout", "index.json"], names.Take(2));
        Assert.DoesNotContain("manifest.json", names);
        var index = JsonSerializer.Deserialize(ArchiveBuilder.Read(archive, "index.json"), RegistryJsonContext.Default.ImageIndex)!;
        Assert.Equal("registry.local:5000/team/app:1.0", index.Manifests[0].Annotations!["org.opencontainers.image.ref.name"]);

        var imported = Assert.Single(_second.Import(archive));
        Assert.Equal(original.Id, imported.Image.Id);
        Assert.Equal("registry.local:5000/team/app:1.0", imported.Tag);
        Assert.Equal(_first.DiffIds(original.Id), _second.DiffIds("registry.local:5000/team/app:1.0"));
        Assert.Equal(index.Manifests[0].Digest.ToString(), imported.Image.ManifestDigest);

        // Exported again, the image keeps the manifest it came with, and so its manifest digest.
        var again = _second.File("again.tar");
        _second.Export(again, ImageArchiveFormat.OciArchive, "registry.local:5000/team/app:1.0");
        var indexAgain = JsonSerializer.Deserialize(ArchiveBuilder.Read(again, "index.json"), RegistryJsonContext.Default.ImageIndex)!;
        Assert.Equal(index.Manifests[0].Digest, indexAgain.Manifests[0].Digest);
    }

    [Fact]
    public void SeveralImagesShareOneArchiveAndKeepEveryTag()
    {
        var a = _first.ImportRootfs(Rootfs("a"), "alpha:1", "alpha:latest");
        var b = _first.ImportRootfs(Rootfs("b"), "beta:1");
        var archive = _first.File("many.tar");
        _first.Export(archive, ImageArchiveFormat.DockerArchive, "alpha:1", "beta:1", "alpha:latest", b.Id);

        var imported = _second.Import(archive);
        Assert.Equal([a.Id, b.Id], imported.Select(i => i.Image.Id));
        var tags = _second.Engine.ImageStore.Tags();
        Assert.Equal(a.Id, tags["docker.io/library/alpha:1"]);
        Assert.Equal(a.Id, tags["docker.io/library/alpha:latest"]);
        Assert.Equal(b.Id, tags["docker.io/library/beta:1"]);
        Assert.Equal(3, tags.Count);
    }

    [Fact]
    public void AnImageExportedByIdComesBackUnnamed()
    {
        var image = _first.ImportRootfs(Rootfs("id"), "named:1");
        var archive = _first.File("by-id.tar");
        _first.Export(archive, ImageArchiveFormat.OciArchive, Digest.Parse(image.Id).Hex[..12]);
        var imported = Assert.Single(_second.Import(archive));
        Assert.Equal(image.Id, imported.Image.Id);
        Assert.Null(imported.Tag);
        Assert.Empty(_second.Engine.ImageStore.Tags());
    }

    [Theory]
    [InlineData("Gzip")]
    [InlineData("Zstd")]
    public void CompressedLayersInAnOciArchiveAreVerifiedAndKept(string method)
    {
        var compression = Enum.Parse<LayerCompression>(method);
        var image = new HandImage(
            (new TarBuilder().File("base.txt", "base").Build(), compression),
            (new TarBuilder().File("top.txt", "top").Build(), LayerCompression.None));
        var imported = Assert.Single(_second.Import(image.OciArchive()));

        Assert.Equal(image.ConfigDigest.ToString(), imported.Image.Id);
        Assert.Equal(image.DiffIds, imported.Image.Layers.Select(l => l.DiffId));
        Assert.Equal(image.Layers.Select(l => l.Digest.ToString()), imported.Image.Layers.Select(l => l.Digest));
        Assert.Equal(image.Layers.Select(l => l.MediaType), imported.Image.Layers.Select(l => l.MediaType));
        Assert.Equal(image.Layers[0].Blob, File.ReadAllBytes(_second.Engine.Content.PathOf(image.Layers[0].Digest)));
        var chains = LayerStore.ChainIdsOf(image.DiffIds);
        Assert.Equal("base", File.ReadAllText(Path.Combine(_second.Engine.Layers.DiffDir(chains[0]), "base.txt")));
        Assert.Equal("top", File.ReadAllText(Path.Combine(_second.Engine.Layers.DiffDir(chains[1]), "top.txt")));
        Assert.Equal("docker.io/library/hand:1", imported.Tag);
    }

    [Fact]
    public void GzipLayersInADockerArchiveGetTheirMediaTypeFromTheirBytes()
    {
        var image = HandImage.WithFile("a.txt", "a", LayerCompression.Gzip);
        var imported = Assert.Single(_second.Import(image.DockerArchive("hand:gz")));
        Assert.Equal(image.ConfigDigest.ToString(), imported.Image.Id);
        Assert.Equal(MediaTypes.OciLayerGzip, imported.Image.Layers[0].MediaType);
        Assert.Equal(image.Layers[0].Digest.ToString(), imported.Image.Layers[0].Digest);
    }

    [Theory]
    [InlineData("Gzip")]
    [InlineData("Zstd")]
    public void ACompressedArchiveLoads(string method)
    {
        var compression = Enum.Parse<LayerCompression>(method);
        var image = HandImage.WithFile("z.txt", "z");
        var archive = image.DockerArchive("hand:packed");
        archive = compression == LayerCompression.Gzip ? ArchiveBuilder.Gzip(archive) : ArchiveBuilder.Zstd(archive);
        var path = _second.File("packed.tar.gz");
        File.WriteAllBytes(path, archive);
        var imported = Assert.Single(_second.Import(path));
        Assert.Equal(image.ConfigDigest.ToString(), imported.Image.Id);
        Assert.True(_second.HasLayers("hand:packed"));
    }

    [Fact]
    public void OldDockerArchivesWithSymlinkedLayersLoad()
    {
        // docker save before 25 (and skopeo) stored a layer used twice once and linked the second copy to it.
        var tar = new TarBuilder().File("same.txt", "same").Build();
        var diffId = Digest.Of(tar).ToString();
        var config = System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{diffId}}}","{{{diffId}}}"]}}""");
        var id = Digest.Of(config);
        var archive = new ArchiveBuilder()
            .File("aaaa/layer.tar", tar)
            .Symlink("bbbb/layer.tar", "../aaaa/layer.tar")
            .File(id.Hex + ".json", config)
            .File("manifest.json", HandImage.ManifestJson(id.Hex + ".json", ["aaaa/layer.tar", "bbbb/layer.tar"], "old:1"))
            .Build();

        var imported = Assert.Single(_second.Import(archive));
        Assert.Equal(id.ToString(), imported.Image.Id);
        Assert.Equal([diffId, diffId], imported.Image.Layers.Select(l => l.DiffId));
        Assert.True(_second.HasLayers("old:1"));
    }

    [Fact]
    public void NestedIndexesGiveTheImageForThisMachine()
    {
        var native = HandImage.WithFile("native.txt", "native");
        var foreign = HandImage.WithFile("foreign.txt", "foreign");
        var nested = JsonSerializer.SerializeToUtf8Bytes(new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                foreign.IndexEntry() with { Platform = new Platform { Os = "linux", Architecture = "s390x" } },
                native.IndexEntry() with { Platform = Platform.Current },
            ],
        }, RegistryJsonContext.Default.ImageIndex);
        var entry = new Descriptor
        {
            MediaType = MediaTypes.OciIndex, Digest = Digest.Of(nested), Size = nested.Length,
            Annotations = new() { ["io.containerd.image.name"] = "docker.io/library/multi:1", ["org.opencontainers.image.ref.name"] = "1" },
        };
        var archive = HandImage.OciLayout(new ArchiveBuilder().File(HandImage.Path(Digest.Of(nested)), nested), [native, foreign], entry).Build();

        var imported = Assert.Single(_second.Import(archive));
        Assert.Equal(native.ConfigDigest.ToString(), imported.Image.Id);
        Assert.Equal("docker.io/library/multi:1", imported.Tag);
    }

    [Fact]
    public void ArtifactsInAnIndexAreSkipped()
    {
        var image = HandImage.WithFile("real.txt", "real");
        var artifact = new Descriptor { MediaType = "application/vnd.in-toto+json", Digest = Digest.Of("x"u8), Size = 1 };
        var archive = HandImage.OciLayout(new ArchiveBuilder(), [image], artifact, image.IndexEntry("docker.io/library/real:1")).Build();
        var imported = Assert.Single(_second.Import(archive));
        Assert.Equal(image.ConfigDigest.ToString(), imported.Image.Id);
    }

    [Fact]
    public void ATagOnlyRefNameLeavesTheImageUnnamed()
    {
        var image = HandImage.WithFile("t.txt", "t");
        var imported = Assert.Single(_second.Import(image.OciArchive("latest")));
        Assert.Null(imported.Tag);
        Assert.Empty(_second.Engine.ImageStore.Tags());
    }

    [Fact]
    public void TagAddsANameToTheArchivesImage()
    {
        var image = HandImage.WithFile("t.txt", "t");
        var imported = Assert.Single(_second.Import(image.DockerArchive("hand:archive"), "mine:2"));
        Assert.Equal("docker.io/library/mine:2", imported.Tag);
        var tags = _second.Engine.ImageStore.Tags();
        Assert.Equal(image.ConfigDigest.ToString(), tags["docker.io/library/mine:2"]);
        Assert.Equal(image.ConfigDigest.ToString(), tags["docker.io/library/hand:archive"]);
    }

    [Fact]
    public void TagIsRefusedForAnArchiveOfSeveralImages()
    {
        var a = HandImage.WithFile("a", "a");
        var b = HandImage.WithFile("b", "b");
        var archive = HandImage.OciLayout(new ArchiveBuilder(), [a, b], a.IndexEntry("a:1"), b.IndexEntry("b:1")).Build();
        var error = Assert.Throws<EngineException>(() => _second.Import(archive, "both:1"));
        Assert.Equal("AmbiguousTag", error.ErrorId);
        _second.AssertEmpty();
    }

    [Fact]
    public void ChangesAreRefusedForArchives()
    {
        var archive = HandImage.WithFile("c", "c").DockerArchive("c:1");
        var error = Assert.Throws<EngineException>(() =>
            _second.Engine.ArchiveImporter.Import(() => new MemoryStream(archive), [], ["CMD [\"sh\"]"], null, null, default));
        Assert.Equal("ChangeNotSupported", error.ErrorId);
        _second.AssertEmpty();
    }

    [Fact]
    public void AnImageAlreadyStoredIsOnlyTagged()
    {
        var image = HandImage.WithFile("s", "s");
        _second.Import(image.OciArchive("docker.io/library/first:1"));
        var record = _second.Image("first:1");
        var imported = Assert.Single(_second.Import(image.DockerArchive("second:1")));
        Assert.Equal(record.Stored, imported.Image.Stored);
        Assert.Equal(record.ManifestDigest, imported.Image.ManifestDigest);
        Assert.Equal(2, _second.Engine.ImageStore.Tags().Count);
        Assert.Contains(_second.Verbose, line => line.Contains("already stored", StringComparison.Ordinal));
    }

    [Fact]
    public void ARootfsTarballStillImportsAsOneLayer()
    {
        var rootfs = Rootfs("plain");
        var imported = Assert.Single(_second.Engine.ArchiveImporter.Import(() => new MemoryStream(ArchiveBuilder.Gzip(rootfs)),
            ["plain:1", "plain:2"], ["CMD [\"/bin/hello\"]"], "from a test", null, default));
        Assert.Equal("docker.io/library/plain:1", imported.Tag);
        Assert.Equal([Digest.Of(rootfs).ToString()], imported.Image.Layers.Select(l => l.DiffId));
        Assert.Equal(["/bin/hello"], _second.Engine.ImageStore.Config(imported.Image).Config!.Cmd!);
        Assert.Equal(2, _second.Engine.ImageStore.Tags().Count);
    }

    [Fact]
    public void AMissingBlobIsPackedAgainFromTheUnpackedLayer()
    {
        // A tar our packer wrote comes out of the unpacked layer byte for byte.
        using var sandbox = new LayerSandbox();
        LayerUnpacker.Unpack(new MemoryStream(Rootfs("repacked")), sandbox.Target, default);
        var packed = new MemoryStream();
        LayerPacker.Pack(sandbox.Target, packed);
        var image = _first.ImportRootfs(packed.ToArray(), "repacked:1");
        _first.Engine.Content.Delete(Digest.Parse(image.Layers[0].Digest));

        var archive = _first.File("repacked.tar");
        _first.Export(archive, ImageArchiveFormat.DockerArchive, "repacked:1");
        Assert.Contains(_first.Verbose, line => line.Contains("packed the layer again", StringComparison.Ordinal));

        var imported = Assert.Single(_second.Import(archive));
        Assert.Equal(image.Id, imported.Image.Id);
        Assert.Equal(image.Layers[0].DiffId, imported.Image.Layers[0].DiffId);
    }

    [Fact]
    public void AMissingBlobThatCannotBeReproducedFailsTheExportAndWritesNothing()
    {
        var image = _first.ImportRootfs(Rootfs("lost"), "lost:1");
        _first.Engine.Content.Delete(Digest.Parse(image.Layers[0].Digest));
        var archive = _first.File("out/lost.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);

        var error = Assert.Throws<EngineException>(() => _first.Export(archive, ImageArchiveFormat.DockerArchive, "lost:1"));
        Assert.Equal("LayerNotReproducible", error.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(archive)!));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_first.Engine.Layout.TempDir));
    }

    [Fact]
    public void ACancelledExportLeavesTheOldFileAlone()
    {
        _first.ImportRootfs(Rootfs("cancel"), "cancel:1");
        var directory = _first.File("out");
        Directory.CreateDirectory(directory);
        var archive = Path.Combine(directory, "cancel.tar");
        File.WriteAllText(archive, "previous");

        Assert.ThrowsAny<OperationCanceledException>(() =>
            _first.Export(archive, ImageArchiveFormat.DockerArchive, new CancellationToken(canceled: true), "cancel:1"));
        Assert.Equal("previous", File.ReadAllText(archive));
        Assert.Equal([archive], Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public void AnUnwritableTargetIsAnEngineError()
    {
        _first.ImportRootfs(Rootfs("nowhere"), "nowhere:1");
        var error = Assert.Throws<EngineException>(() => _first.Export(_first.File("missing-dir/x.tar"), ImageArchiveFormat.OciArchive, "nowhere:1"));
        Assert.Equal("ArchiveWriteFailed", error.ErrorId);
        Assert.Equal(EngineErrorKind.NotFound, error.Kind);
    }
}
