using System.Text;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Layers;
using PSContainer.Tests.Layers;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Images;
using PSContainer.Engine.Storage;

namespace PSContainer.Tests.Archives;

/// <summary>Archives that lie about their content or aim outside themselves: refused, and nothing of them stays.</summary>
public sealed class ArchiveHostileTests : IDisposable
{
    private readonly ArchiveStore _store = new();

    public void Dispose() => _store.Dispose();

    private void AssertRefused(byte[] archive, string errorId)
    {
        var error = Assert.Throws<EngineException>(() => _store.Import(archive));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidData, error.Kind);
        _store.AssertEmpty();
    }

    private static byte[] Flip(byte[] content, int at)
    {
        var copy = content.ToArray();
        copy[at] ^= 0x01;
        return copy;
    }

    [Fact]
    public void ALayerBlobThatDoesNotMatchItsDigestIsRefused()
    {
        var image = HandImage.WithFile("a.txt", "aaaa");
        var archive = new ArchiveBuilder();
        HandImage.OciLayout(archive, [], image.IndexEntry("docker.io/library/bad:1"));
        archive.File(HandImage.Path(image.ConfigDigest), image.Config).File(HandImage.Path(image.ManifestDigest), image.Manifest);
        // A byte of file content changed: the tar is still valid, but neither diff id nor digest fit.
        var blob = image.Layers[0].Blob;
        var at = Encoding.ASCII.GetString(blob).IndexOf("aaaa", StringComparison.Ordinal);
        archive.File(HandImage.Path(image.Layers[0].Digest), Flip(blob, at));
        AssertRefused(archive.Build(), "DiffIdMismatch");
    }

    // An oci-archive of one image whose manifest is <paramref name="manifest"/> (the image's own, rewritten).
    private static byte[] WithManifest(HandImage image, string manifest)
    {
        var bytes = Encoding.UTF8.GetBytes(manifest);
        var entry = new PSContainer.Engine.Registry.Descriptor
        {
            MediaType = PSContainer.Engine.Registry.MediaTypes.OciManifest, Digest = Digest.Of(bytes), Size = bytes.Length,
        };
        var archive = new ArchiveBuilder();
        HandImage.OciLayout(archive, [], entry);
        archive.File(HandImage.Path(image.ConfigDigest), image.Config).File(HandImage.Path(Digest.Of(bytes)), bytes)
            .File(HandImage.Path(image.Layers[0].Digest), image.Layers[0].Blob);
        return archive.Build();
    }

    [Fact]
    public void AManifestThatIsAlsoAnIndexIsRefused()
    {
        var image = HandImage.WithFile("a.txt", "a");
        var manifest = Encoding.UTF8.GetString(image.Manifest);
        AssertRefused(WithManifest(image, manifest[..^1] + ""","manifests":[]}"""), "InvalidManifest");
    }

    [Fact]
    public void AManifestOfAnotherTypeThanItsDescriptorSaysIsRefused()
    {
        var image = HandImage.WithFile("a.txt", "a");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(image.Manifest)!;
        manifest["mediaType"] = PSContainer.Engine.Registry.MediaTypes.DockerManifest;
        AssertRefused(WithManifest(image, manifest.ToJsonString()), "InvalidManifest");
    }

    [Fact]
    public void ALayerOfAnUnknownMediaTypeIsRefused()
    {
        var image = HandImage.WithFile("a.txt", "a");
        var manifest = Encoding.UTF8.GetString(image.Manifest).Replace(
            PSContainer.Engine.Registry.MediaTypes.OciLayerTar, "application/vnd.example.unknown", StringComparison.Ordinal);
        AssertRefused(WithManifest(image, manifest), "UnsupportedMediaType");
    }

    [Fact]
    public void ARootFilesystemBombIsRefusedLikeALayerBomb()
    {
        // A valid small tar followed by a gigabyte of zeros: about a megabyte compressed. The unpacker reads what follows
        // the end of the tar too (it belongs to the diff id), so the limit is met without a byte written to disk.
        var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(new TarBuilder().File("etc/hostname", "bomb").Build());
            var zeros = new byte[1 << 20];
            for (var written = 0L; written <= LayerDecompression.ExpansionLimit(0); written += zeros.Length)
                gzip.Write(zeros);
        }
        AssertRefused(output.ToArray(), "ContentTooLarge");
    }

    [Fact]
    public void ALayerTheStoreHoldsIsStillCheckedAgainstTheArchivesBytes()
    {
        var image = HandImage.WithFile("a.txt", "aaaa");
        _store.Import(image.DockerArchive("docker.io/library/good:1"));
        // Another image on the same layer, whose archive names the stored blob but carries other bytes.
        var config = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(image.Config).Replace("[\"sh\"]", "[\"ls\"]", StringComparison.Ordinal));
        var layer = image.Layers[0];
        var at = Encoding.ASCII.GetString(layer.Blob).IndexOf("aaaa", StringComparison.Ordinal);
        var archive = new ArchiveBuilder()
            .File("manifest.json", HandImage.ManifestJson(HandImage.Path(Digest.Of(config)), [HandImage.Path(layer.Digest)], "docker.io/library/bad:1"))
            .File(HandImage.Path(Digest.Of(config)), config)
            .File(HandImage.Path(layer.Digest), Flip(layer.Blob, at))
            .Build();

        var error = Assert.Throws<EngineException>(() => _store.Import(archive));

        Assert.Equal("DiffIdMismatch", error.ErrorId);
        Assert.Equal([image.ConfigDigest.ToString()], _store.Engine.ImageStore.List().Select(i => i.Id));
        Assert.Equal(["docker.io/library/good:1"], _store.Engine.ImageStore.Tags().Keys);
    }

    [Fact]
    public void AnArchiveOfAStoredImageWithOtherLayerBytesIsRefused()
    {
        var image = HandImage.WithFile("a.txt", "aaaa");
        _store.Import(image.DockerArchive("docker.io/library/good:1"));
        var layer = image.Layers[0];
        var at = Encoding.ASCII.GetString(layer.Blob).IndexOf("aaaa", StringComparison.Ordinal);
        var archive = new ArchiveBuilder()
            .File("manifest.json", HandImage.ManifestJson(HandImage.Path(image.ConfigDigest), [HandImage.Path(layer.Digest)], "docker.io/library/bad:1"))
            .File(HandImage.Path(image.ConfigDigest), image.Config)
            .File(HandImage.Path(layer.Digest), Flip(layer.Blob, at))
            .Build();

        var error = Assert.Throws<EngineException>(() => _store.Import(archive));

        Assert.Equal("DiffIdMismatch", error.ErrorId);
        Assert.Equal(["docker.io/library/good:1"], _store.Engine.ImageStore.Tags().Keys);
        Assert.Equal("aaaa", File.ReadAllText(Path.Combine(_store.Engine.Layers.DiffDir(layer.DiffId), "a.txt")));
    }

    [Fact]
    public void ABlobWhoseDiffIdFitsButDigestDoesNotIsRefusedAndItsLayerRemoved()
    {
        // Another gzip header time gives another blob of the same layer: it unpacks to the right diff id, so the layer
        // is stored before the blob digest is known to be wrong, and must go again.
        var image = new HandImage((new TarBuilder().File("g.txt", "g").Build(), LayerCompression.Gzip));
        var archive = new ArchiveBuilder();
        HandImage.OciLayout(archive, [], image.IndexEntry("docker.io/library/bad:1"));
        archive.File(HandImage.Path(image.ConfigDigest), image.Config).File(HandImage.Path(image.ManifestDigest), image.Manifest)
            .File(HandImage.Path(image.Layers[0].Digest), Flip(image.Layers[0].Blob, 4));
        AssertRefused(archive.Build(), "DigestMismatch");
    }

    [Fact]
    public void AConfigThatDoesNotMatchItsNameIsRefused()
    {
        var image = HandImage.WithFile("c.txt", "c");
        var wrong = Digest.Of("not the config"u8);
        var archive = new ArchiveBuilder()
            .File("manifest.json", HandImage.ManifestJson(HandImage.Path(wrong), [HandImage.Path(image.Layers[0].Digest)], "bad:1"))
            .File(HandImage.Path(wrong), image.Config)
            .File(HandImage.Path(image.Layers[0].Digest), image.Layers[0].Blob)
            .Build();
        AssertRefused(archive, "DigestMismatch");
    }

    [Fact]
    public void AnOciManifestWithTheWrongDigestIsRefused()
    {
        var image = HandImage.WithFile("m.txt", "m");
        var entry = image.IndexEntry("docker.io/library/bad:1") with { Digest = Digest.Of("other manifest"u8) };
        var archive = new ArchiveBuilder().File(HandImage.Path(entry.Digest), image.Manifest);
        AssertRefused(HandImage.OciLayout(archive, [image], entry).Build(), "DigestMismatch");
    }

    [Fact]
    public void ADescriptorSizeThatDoesNotMatchIsRefused()
    {
        var image = HandImage.WithFile("s.txt", "s");
        var entry = image.IndexEntry("docker.io/library/bad:1") with { Size = image.Manifest.Length + 1 };
        AssertRefused(HandImage.OciLayout(new ArchiveBuilder(), [image], entry).Build(), "SizeMismatch");
    }

    [Fact]
    public void AConfigWithTheWrongDiffIdIsRefused()
    {
        var tar = new TarBuilder().File("d.txt", "d").Build();
        var config = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{Digest.Of("something else"u8)}}}"]}}""");
        var archive = new ArchiveBuilder()
            .File("manifest.json", HandImage.ManifestJson("config.json", ["layer.tar"], "bad:1"))
            .File("config.json", config)
            .File("layer.tar", tar)
            .Build();
        AssertRefused(archive, "DiffIdMismatch");
    }

    [Fact]
    public void ACorruptSecondLayerTakesTheFirstWithIt()
    {
        var first = new TarBuilder().File("one.txt", "one").Build();
        var second = new TarBuilder().File("two.txt", "two").Build();
        var image = new HandImage((first, LayerCompression.None), (second, LayerCompression.Gzip));
        var archive = new ArchiveBuilder();
        HandImage.OciLayout(archive, [], image.IndexEntry("docker.io/library/bad:1"));
        archive.File(HandImage.Path(image.ConfigDigest), image.Config).File(HandImage.Path(image.ManifestDigest), image.Manifest)
            .File(HandImage.Path(image.Layers[0].Digest), image.Layers[0].Blob)
            .File(HandImage.Path(image.Layers[1].Digest), image.Layers[1].Blob[..^12]);
        AssertRefused(archive.Build(), "DiffIdMismatch");
    }

    [Fact]
    public void AFailedImportLeavesWhatAnotherOperationHasLeased()
    {
        var first = new TarBuilder().File("one.txt", "one").Build();
        var image = new HandImage((first, LayerCompression.None), (new TarBuilder().File("two.txt", "two").Build(), LayerCompression.None));
        var archive = new ArchiveBuilder();
        HandImage.OciLayout(archive, [], image.IndexEntry("docker.io/library/bad:1"));
        archive.File(HandImage.Path(image.ConfigDigest), image.Config).File(HandImage.Path(image.ManifestDigest), image.Manifest)
            .File(HandImage.Path(image.Layers[0].Digest), image.Layers[0].Blob)
            .File(HandImage.Path(image.Layers[1].Digest), Flip(image.Layers[1].Blob, 600));
        var baseChain = image.DiffIds[0];

        // A pull of another image with the same base layer, say, holds it while this import fails.
        using (Lease.Take(_store.Engine.Layout, [baseChain]))
        {
            Assert.Throws<EngineException>(() => _store.Import(archive.Build()));
            Assert.True(_store.Engine.Layers.Exists(baseChain));
        }
        Assert.Empty(_store.Engine.ImageStore.List());
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("blobs/../../x")]
    [InlineData("/etc/evil")]
    public void AMemberNameThatClimbsOutIsRefused(string name)
    {
        var image = HandImage.WithFile("p.txt", "p");
        var archive = new ArchiveBuilder().File(name, "escape");
        AssertRefused(HandImage.OciLayout(archive, [image], image.IndexEntry("docker.io/library/bad:1")).Build(), "UnsafeArchivePath");
    }

    [Fact]
    public void AManifestPathThatClimbsOutIsRefused()
    {
        var image = HandImage.WithFile("q.txt", "q");
        var archive = new ArchiveBuilder()
            .File("manifest.json", HandImage.ManifestJson(HandImage.Path(image.ConfigDigest), ["../../etc/shadow"], "bad:1"))
            .File(HandImage.Path(image.ConfigDigest), image.Config)
            .Build();
        AssertRefused(archive, "UnsafeArchivePath");
    }

    [Fact]
    public void ALinkThatLeavesTheArchiveIsRefused()
    {
        var image = HandImage.WithFile("l.txt", "l");
        var archive = new ArchiveBuilder()
            .File("manifest.json", HandImage.ManifestJson(HandImage.Path(image.ConfigDigest), ["layer/layer.tar"], "bad:1"))
            .File(HandImage.Path(image.ConfigDigest), image.Config)
            .Symlink("layer/layer.tar", "../../../etc/passwd")
            .Build();
        AssertRefused(archive, "UnsafeArchivePath");
    }

    [Fact]
    public void LinksThatLoopAreRefused()
    {
        var image = HandImage.WithFile("o.txt", "o");
        var archive = new ArchiveBuilder()
            .File("manifest.json", HandImage.ManifestJson(HandImage.Path(image.ConfigDigest), ["a.tar"], "bad:1"))
            .File(HandImage.Path(image.ConfigDigest), image.Config)
            .Symlink("a.tar", "b.tar")
            .Symlink("b.tar", "a.tar")
            .Build();
        AssertRefused(archive, "ArchiveLinkLoop");
    }

    [Fact]
    public void AMemberGivenTwiceIsRefused()
    {
        var image = HandImage.WithFile("t.txt", "t");
        var archive = new ArchiveBuilder().File(HandImage.Path(image.Layers[0].Digest), "shadow copy");
        AssertRefused(HandImage.OciLayout(archive, [image], image.IndexEntry("docker.io/library/bad:1")).Build(), "DuplicateArchiveMember");
    }

    [Fact]
    public void AMissingLayerIsRefused()
    {
        var image = HandImage.WithFile("m.txt", "m");
        var archive = new ArchiveBuilder()
            .File("manifest.json", HandImage.ManifestJson(HandImage.Path(image.ConfigDigest), ["gone.tar"], "bad:1"))
            .File(HandImage.Path(image.ConfigDigest), image.Config)
            .Build();
        AssertRefused(archive, "ArchiveMemberMissing");
    }

    [Fact]
    public void ATruncatedArchiveIsRefused()
    {
        var archive = HandImage.WithFile(new string('x', 2000), new string('y', 5000)).DockerArchive("cut:1");
        AssertRefused(archive[..(archive.Length - 3000)], "InvalidArchive");
    }

    [Fact]
    public void AnInvalidRepoTagIsRefused()
    {
        AssertRefused(HandImage.WithFile("r.txt", "r").DockerArchive("Not A Tag"), "InvalidArchiveTag");
    }

    [Fact]
    public void AFileThatIsNoTarIsRefused()
    {
        var error = Assert.Throws<EngineException>(() => _store.Import(Encoding.ASCII.GetBytes(new string('?', 4096))));
        Assert.Equal("InvalidArchive", error.ErrorId);
        _store.AssertEmpty();
    }
}
