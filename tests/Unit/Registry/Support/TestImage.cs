using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using PSContainer.Engine.Content;
using PSContainer.Engine.Registry;

namespace PSContainer.Tests.Registry.Support;

/// <summary>A tiny but valid single-layer image made in memory: a gzip layer, its config and an OCI manifest.</summary>
internal sealed class TestImage
{
    public TestImage(string fileContent)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(fileContent)),
                ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            };
            writer.WriteEntry(entry);
        }
        var diffId = Digest.Of(tar.ToArray());
        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(tar.ToArray());
        Layer = gz.ToArray();
        Config = Encoding.UTF8.GetBytes($$"""
            {"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["{{diffId}}"]},"history":[{"created_by":"test"}]}
            """);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = Digest.Of(Config), Size = Config.Length },
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Of(Layer), Size = Layer.Length }],
        };
        Manifest = JsonSerializer.SerializeToUtf8Bytes(manifest, RegistryJsonContext.Default.ImageManifest);
    }

    public byte[] Layer { get; }
    public byte[] Config { get; }
    public byte[] Manifest { get; }
    public Digest LayerDigest => Digest.Of(Layer);
    public Digest ConfigDigest => Digest.Of(Config);
    public Digest ManifestDigest => Digest.Of(Manifest);

    /// <summary>Pushes blobs then the manifest under <paramref name="tag"/>.</summary>
    public async Task PushAsync(RegistryClient client, string repository, string tag, BlobUploadOptions? options = null)
    {
        await client.PushBlobAsync(repository, LayerDigest, Layer.Length, new MemoryStream(Layer), options);
        await client.PushBlobAsync(repository, ConfigDigest, Config.Length, new MemoryStream(Config), options);
        await client.PutManifestAsync(repository, tag, Manifest, MediaTypes.OciManifest);
    }
}
