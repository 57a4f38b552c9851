using PSContainer.Engine;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Images;
using PSContainer.Tests.Layers;

namespace PSContainer.Tests.Registry.Support;

/// <summary>An engine over a private temporary store, with a small rootfs imported as an image.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("psc-store-").FullName;

    public TestStore()
    {
        Engine = ContainerEngine.Open(new EngineOptions(Path.Combine(_directory, "root"), Path.Combine(_directory, "run"), null));
    }

    public ContainerEngine Engine { get; }

    /// <summary>Imports a rootfs whose one file holds <paramref name="content"/>, tagged <paramref name="reference"/>.</summary>
    public ImageRecord Import(string reference, string content)
    {
        var tar = new TarBuilder()
            .Dir("bin/")
            .File("bin/hello", content, (UnixFileMode)0x1ED)
            .Symlink("bin/hi", "hello")
            .Dir("etc/")
            .File("etc/os-release", "NAME=psc-test\n")
            .Build();
        return new RootfsImporter(Engine.Layout, Engine.Content, Engine.Layers, Engine.ImageStore, Engine.Images).Import(new MemoryStream(tar), tar.Length, [reference], ["CMD [\"/bin/hello\"]"], "test", CancellationToken.None);
    }

    /// <summary>The image's record as the store holds it now.</summary>
    public ImageRecord Reload(ImageRecord image) => Engine.ImageStore.Get(image.Id)!;

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
