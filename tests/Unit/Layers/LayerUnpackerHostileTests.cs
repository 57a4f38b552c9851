using System.IO.Compression;
using PSContainer.Engine;
using PSContainer.Engine.Layers;

namespace PSContainer.Tests.Layers;

/// <summary>Layers written to escape the target directory, in the spirit of containerd's breakout tests.</summary>
public sealed class LayerUnpackerHostileTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "dotdot file", "UnsafeLayerPath" },
        { "absolute dotdot file", "UnsafeLayerPath" },
        { "write through absolute symlink", "UnsafeLayerPath" },
        { "write through symlink to dotdot", "UnsafeLayerPath" },
        { "write through relative symlink", "UnsafeLayerPath" },
        { "directory through symlink", "UnsafeLayerPath" },
        { "hard link climbing out", "UnsafeLayerPath" },
        { "hard link through symlink", "UnsafeLayerPath" },
        { "hard link to missing target", "CorruptLayer" },
        { "whiteout climbing out", "UnsafeLayerPath" },
        { "whiteout of dotdot", "UnsafeLayerPath" },
        { "whiteout through symlink", "UnsafeLayerPath" },
        { "opaque marker through symlink", "UnsafeLayerPath" },
        { "root replaced by symlink", "UnsafeLayerPath" },
        { "corrupt gzip", "CorruptLayer" },
        { "truncated tar", "CorruptLayer" },
        { "truncated gzip", "CorruptLayer" },
        { "garbage", "CorruptLayer" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NothingOutsideTheTargetIsTouched(string name, string errorId)
    {
        using var sandbox = new LayerSandbox();
        var layer = Build(name, sandbox);
        var error = Assert.Throws<EngineException>(() =>
        {
            using var stream = LayerDecompression.Open(new MemoryStream(layer));
            LayerUnpacker.Unpack(stream, sandbox.Target, default);
        });
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidData, error.Kind);
        sandbox.AssertNothingEscaped();
    }

    private static byte[] Build(string name, LayerSandbox sandbox) => name switch
    {
        "dotdot file" => new TarBuilder().File("../evil").Build(),
        "absolute dotdot file" => new TarBuilder().File("/abs/../../evil").Build(),
        "write through absolute symlink" => new TarBuilder().Symlink("a", sandbox.Outside).File("a/x").File("a/marker", "evil").Build(),
        "write through symlink to dotdot" => new TarBuilder().Symlink("a", "..").File("a/outside/x").Build(),
        "write through relative symlink" => new TarBuilder().Dir("d/").Symlink("d/up", "../../outside").File("d/up/marker", "evil").Build(),
        "directory through symlink" => new TarBuilder().Symlink("a", sandbox.Outside).Dir("a/sub/").Build(),
        "hard link climbing out" => new TarBuilder().HardLink("h", "../../etc/passwd").Build(),
        "hard link through symlink" => new TarBuilder().Symlink("s", sandbox.Outside).HardLink("h", "s/marker").Build(),
        "hard link to missing target" => new TarBuilder().HardLink("h", "nothing").Build(),
        "whiteout climbing out" => new TarBuilder().File("../.wh.x").Build(),
        "whiteout of dotdot" => new TarBuilder().Dir("a/").File("a/.wh..").Build(),
        "whiteout through symlink" => new TarBuilder().Symlink("s", sandbox.Outside).File("s/.wh.new").Build(),
        "opaque marker through symlink" => new TarBuilder().Symlink("s", sandbox.Outside).File("s/.wh..wh..opq").Build(),
        "root replaced by symlink" => new TarBuilder().Symlink("./", sandbox.Outside).File("marker", "evil").Build(),
        "corrupt gzip" => CorruptGzip(),
        "truncated gzip" => Gzip(new TarBuilder().File("f", new string('y', 100000)).File("g").Build())[..300],
        "truncated tar" => new TarBuilder().File("big", new string('x', 5000)).Build()[..2000],
        "garbage" => Enumerable.Range(0, 2048).Select(i => (byte)(i * 7 + 3)).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    private static byte[] CorruptGzip()
    {
        var bytes = Gzip(new TarBuilder().File("f", new string('y', 10000)).Build());
        for (var i = 20; i < bytes.Length - 10; i += 3)
            bytes[i] ^= 0x5a;
        return bytes;
    }
}
