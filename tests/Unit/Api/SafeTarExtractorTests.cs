using System.Formats.Tar;
using System.Text;
using PSContainer.Api;

namespace PSContainer.Tests.Api;

public sealed class SafeTarExtractorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "psc-tar-" + Guid.NewGuid().ToString("N"));

    public SafeTarExtractorTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MemoryStream Tar(params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var entry in entries) writer.WriteEntry(entry);
        stream.Position = 0;
        return stream;
    }

    private static PaxTarEntry File(string name, string text) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    [Fact]
    public async Task TakesAbsoluteNamesAsRelativeToTheDestination()
    {
        await SafeTarExtractor.ExtractAsync(Tar(File("/tmp/in.txt", "hi")), _dir, CancellationToken.None);
        Assert.Equal("hi", System.IO.File.ReadAllText(Path.Combine(_dir, "tmp/in.txt")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/../../../escape")]
    public async Task RefusesNamesThatClimbOut(string name)
    {
        var ex = await Assert.ThrowsAsync<ApiException>(() => SafeTarExtractor.ExtractAsync(Tar(File(name, "x")), _dir, CancellationToken.None));
        Assert.Equal(400, ex.Status);
        Assert.False(System.IO.File.Exists(Path.Combine(Path.GetDirectoryName(_dir)!, "escape")));
    }

    [Fact]
    public async Task RefusesWritingThroughALinkItMade()
    {
        var link = new PaxTarEntry(TarEntryType.SymbolicLink, "out") { LinkName = "/etc" };
        var ex = await Assert.ThrowsAsync<ApiException>(() => SafeTarExtractor.ExtractAsync(Tar(link, File("out/passwd", "x")), _dir, CancellationToken.None));
        Assert.Equal(400, ex.Status);
    }

    [Fact]
    public async Task RefusesDevices()
    {
        var device = new PaxTarEntry(TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3 };
        await Assert.ThrowsAsync<ApiException>(() => SafeTarExtractor.ExtractAsync(Tar(device), _dir, CancellationToken.None));
    }
}
