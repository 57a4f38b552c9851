using PSContainer.Engine;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Images;
using PSContainer.Engine.Layers;

namespace PSContainer.Tests.Archives;

/// <summary>A private engine store under /tmp, with shortcuts to import and export through the archive engine.</summary>
internal sealed class ArchiveStore : IDisposable
{
    public ArchiveStore()
    {
        Root = Directory.CreateTempSubdirectory("psc-archives-").FullName;
        // ContainerEngine.Open refuses to run without root: these tests fail loudly rather than skip.
        Engine = ContainerEngine.Open(new EngineOptions(Path.Combine(Root, "store"), Path.Combine(Root, "run"), null));
    }

    public string Root { get; }
    public ContainerEngine Engine { get; }
    public List<string> Verbose { get; } = [];

    /// <summary>A path for a scratch file beside the store.</summary>
    public string File(string name) => Path.Combine(Root, name);

    public ImageRecord ImportRootfs(byte[] tar, params string[] tags) =>
        new RootfsImporter(Engine.Layout, Engine.Content, Engine.Layers, Engine.ImageStore, Engine.Images).Import(new MemoryStream(tar), tar.Length, tags, ["CMD [\"sh\"]"], null, default);

    public List<ImportedImage> Import(string path, params string[] tags) =>
        Engine.ArchiveImporter.Import(() => System.IO.File.OpenRead(path), tags, [], null, Verbose.Add, default);

    public List<ImportedImage> Import(byte[] archive, params string[] tags) =>
        Engine.ArchiveImporter.Import(() => new MemoryStream(archive, writable: false), tags, [], null, Verbose.Add, default);

    /// <summary>Exports images named as a user would name them (tags or ids).</summary>
    public void Export(string path, ImageArchiveFormat format, params string[] names) => Export(path, format, default, names);

    public void Export(string path, ImageArchiveFormat format, CancellationToken cancel, params string[] names)
    {
        var images = new List<ImageToExport>();
        foreach (var name in names)
        {
            var image = Engine.Images.Resolve(name);
            var tag = Engine.Images.TagOf(name, image);
            var index = images.FindIndex(i => i.Image.Id == image.Id);
            if (index < 0)
                images.Add(new ImageToExport(image, tag is null ? [] : [tag]));
            else if (tag is not null)
                images[index] = images[index] with { Tags = [.. images[index].Tags, tag] };
        }
        Engine.ImageExporter.Export(images, path, format, null, Verbose.Add, cancel);
    }

    public ImageRecord Image(string nameOrId) => Engine.Images.Resolve(nameOrId);

    public List<string> DiffIds(string nameOrId) => Image(nameOrId).Layers.Select(l => l.DiffId).ToList();

    /// <summary>Whether every layer of the image is unpacked.</summary>
    public bool HasLayers(string nameOrId) =>
        PSContainer.Engine.Layers.LayerStore.ChainIdsOf(DiffIds(nameOrId)).All(Engine.Layers.Exists);

    /// <summary>Asserts the store holds nothing at all: no images, tags, blobs, layers, links or staging leftovers.</summary>
    public void AssertEmpty()
    {
        var layout = Engine.Layout;
        Assert.Empty(Engine.ImageStore.List());
        Assert.Empty(Engine.ImageStore.Tags());
        Assert.Empty(Directory.EnumerateFileSystemEntries(layout.BlobsDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(layout.LayersDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(layout.LinksDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(layout.TempDir));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
