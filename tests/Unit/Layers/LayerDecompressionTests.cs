using System.Diagnostics;
using System.IO.Compression;
using PSContainer.Engine;
using PSContainer.Engine.Layers;
using ZstdCompressionStream = SharpCompress.Compressors.ZStandard.CompressionStream;

namespace PSContainer.Tests.Layers;

public sealed class LayerDecompressionTests
{
    private static readonly byte[] Tar = new TarBuilder().Dir("d/").File("d/f", new string('q', 70_000)).File("g", "g").Build();

    private static byte[] Decompress(byte[] blob)
    {
        using var stream = LayerDecompression.Open(new ForwardOnlyStream(blob));
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    private static byte[] ZstdWithSharpCompress(byte[] data)
    {
        var output = new MemoryStream();
        using (var zstd = new ZstdCompressionStream(output, level: 3, leaveOpen: true))
            zstd.Write(data);
        return output.ToArray();
    }

    private static byte[] ZstdWithCli(byte[] data)
    {
        var start = new ProcessStartInfo("zstd", "-q -c -")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("This test needs the zstd command line tool: apt-get install -y zstd", e);
        }
        using (process)
        {
            var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            process.StandardInput.BaseStream.Write(data);
            process.StandardInput.Close();
            copy.Wait();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            return output.ToArray();
        }
    }

    [Fact]
    public void PlainTarPassesThrough() => Assert.Equal(Tar, Decompress(Tar));

    [Fact]
    public void GzipIsDecompressed() => Assert.Equal(Tar, Decompress(Gzip(Tar)));

    [Fact]
    public void ConcatenatedGzipMembersAreDecompressed() =>
        Assert.Equal(Tar, Decompress([.. Gzip(Tar[..1024]), .. Gzip(Tar[1024..])]));

    [Fact]
    public void ZstdFromSharpCompressIsDecompressed() => Assert.Equal(Tar, Decompress(ZstdWithSharpCompress(Tar)));

    [Fact]
    public void ZstdFromTheReferenceToolIsDecompressed() => Assert.Equal(Tar, Decompress(ZstdWithCli(Tar)));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void InputShorterThanAnyMagicIsReturnedAsIs(int length) =>
        Assert.Equal(Tar[..length], Decompress(Tar[..length]));

    [Fact]
    public void CompressedLayerUnpacksEndToEnd()
    {
        using var sandbox = new LayerSandbox();
        using var stream = LayerDecompression.Open(new ForwardOnlyStream(ZstdWithSharpCompress(Tar)));
        Assert.Equal(70_001, LayerUnpacker.Unpack(stream, sandbox.Target, default));
        Assert.Equal(70_000, new FileInfo(sandbox.In("d/f")).Length);
    }

    [Fact]
    public void CorruptZstdIsACorruptLayer()
    {
        using var sandbox = new LayerSandbox();
        var blob = ZstdWithSharpCompress(Tar);
        for (var i = 12; i < blob.Length; i += 5)
            blob[i] ^= 0xa5;
        var error = Assert.Throws<EngineException>(() =>
        {
            using var stream = LayerDecompression.Open(new ForwardOnlyStream(blob));
            LayerUnpacker.Unpack(stream, sandbox.Target, default);
        });
        Assert.Equal("CorruptLayer", error.ErrorId);
        sandbox.AssertNothingEscaped();
    }
}
