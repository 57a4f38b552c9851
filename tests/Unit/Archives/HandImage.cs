using System.Text;
using System.Text.Json;
using PSContainer.Engine.Content;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Registry;
using PSContainer.Engine.Archives;

namespace PSContainer.Tests.Archives;

/// <summary>A layer of a <see cref="HandImage"/>: its blob as stored in the archive and the digests that vouch for it.</summary>
internal sealed record HandLayer(byte[] Blob, Digest Digest, string DiffId, string MediaType);

/// <summary>An image made by hand for archive tests: layer blobs (plain, gzip or zstd), a config and an OCI manifest.</summary>
internal sealed class HandImage
{
    public HandImage(params (byte[] Tar, LayerCompression Compression)[] layers)
    {
        foreach (var (tar, compression) in layers)
        {
            var blob = compression switch
            {
                LayerCompression.Gzip => ArchiveBuilder.Gzip(tar),
                LayerCompression.Zstd => ArchiveBuilder.Zstd(tar),
                _ => tar,
            };
            var mediaType = compression switch
            {
                LayerCompression.Gzip => MediaTypes.OciLayerGzip,
                LayerCompression.Zstd => MediaTypes.OciLayerZstd,
                _ => MediaTypes.OciLayerTar,
            };
            Layers.Add(new HandLayer(blob, Digest.Of(blob), Digest.Of(tar).ToString(), mediaType));
        }
        var diffIds = string.Join(",", Layers.Select(l => $"\"{l.DiffId}\""));
        Config = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"{{{Platform.Current.Architecture}}}","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[{{{diffIds}}}]}}""");
        Manifest = JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = ConfigDigest, Size = Config.Length },
            Layers = Layers.Select(l => new Descriptor { MediaType = l.MediaType, Digest = l.Digest, Size = l.Blob.Length }).ToList(),
        }, RegistryJsonContext.Default.ImageManifest);
    }

    /// <summary>A one-layer image holding one file.</summary>
    public static HandImage WithFile(string name, string content, LayerCompression compression = LayerCompression.None) =>
        new((new Layers.TarBuilder().File(name, content).Build(), compression));

    public List<HandLayer> Layers { get; } = [];
    public byte[] Config { get; }
    public Digest ConfigDigest => Digest.Of(Config);
    public byte[] Manifest { get; }
    public Digest ManifestDigest => Digest.Of(Manifest);
    public List<string> DiffIds => Layers.Select(l => l.DiffId).ToList();

    /// <summary>Every blob with its OCI layout path.</summary>
    public IEnumerable<(string Path, byte[] Content)> Blobs =>
        new[] { (Path(ConfigDigest), Config), (Path(ManifestDigest), Manifest) }.Concat(Layers.Select(l => (Path(l.Digest), l.Blob)));

    /// <summary>The index entry for the manifest, named by an org.opencontainers.image.ref.name annotation when given.</summary>
    public Descriptor IndexEntry(string? refName = null) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = ManifestDigest,
        Size = Manifest.Length,
        Annotations = refName is null ? null : new() { ["org.opencontainers.image.ref.name"] = refName },
    };

    /// <summary>Adds an OCI layout (oci-layout, index.json, blobs) of <paramref name="entries"/> to an archive.</summary>
    public static ArchiveBuilder OciLayout(ArchiveBuilder archive, IEnumerable<HandImage> images, params Descriptor[] entries)
    {
        archive.File("oci-layout", """{"imageLayoutVersion":"1.0.0"}""");
        archive.File("index.json", JsonSerializer.SerializeToUtf8Bytes(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = [.. entries] }, RegistryJsonContext.Default.ImageIndex));
        foreach (var (path, content) in images.SelectMany(i => i.Blobs).DistinctBy(b => b.Path))
            archive.File(path, content);
        return archive;
    }

    /// <summary>An oci-archive of this image alone.</summary>
    public byte[] OciArchive(string? refName = "docker.io/library/hand:1") => OciLayout(new ArchiveBuilder(), [this], IndexEntry(refName)).Build();

    /// <summary>A docker-archive of this image in Docker 25's naming (blobs/sha256/...), without the OCI layout files.</summary>
    public byte[] DockerArchive(params string[] repoTags)
    {
        var archive = new ArchiveBuilder().File("manifest.json", ManifestJson(Path(ConfigDigest), Layers.Select(l => Path(l.Digest)), repoTags));
        foreach (var (path, content) in Blobs)
            archive.File(path, content);
        return archive.Build();
    }

    /// <summary>A manifest.json of one entry.</summary>
    public static string ManifestJson(string config, IEnumerable<string> layers, params string[] repoTags) =>
        JsonSerializer.Serialize(new[] { new { Config = config, RepoTags = repoTags, Layers = layers.ToArray() } });

    /// <summary>Writes this image as an OCI layout directory, the way skopeo's oci: transport reads it.</summary>
    public void WriteOciLayout(string directory, string refName)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(directory, "blobs", "sha256"));
        File.WriteAllText(System.IO.Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllBytes(System.IO.Path.Combine(directory, "index.json"),
            JsonSerializer.SerializeToUtf8Bytes(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = [IndexEntry(refName)] }, RegistryJsonContext.Default.ImageIndex));
        foreach (var (path, content) in Blobs)
            File.WriteAllBytes(System.IO.Path.Combine(directory, path), content);
    }

    public static string Path(Digest digest) => "blobs/sha256/" + digest.Hex;
}
