using System.Text.Json;
using PSContainer.Engine.Archives;
using PSContainer.Engine.Layers;
using PSContainer.Tests.Layers;
using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Archives;

/// <summary>
/// Archives against independent implementations: skopeo and podman read what Export-Image writes, and Import-Image
/// reads what skopeo writes. A missing tool fails these tests rather than skipping them.
/// </summary>
public sealed class ArchiveInteropTests : IDisposable
{
    private readonly ArchiveStore _first = new();
    private readonly ArchiveStore _second = new();
    private readonly string _skopeo = Tools.Require("/usr/bin/skopeo", "skopeo");

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    private (string Id, List<string> DiffIds) ExportBusybox(string path, ImageArchiveFormat format)
    {
        var image = _first.ImportRootfs(ArchiveRoundTripTests.Rootfs("interop"), "busybox:latest");
        _first.Export(path, format, "busybox:latest");
        return (image.Id, image.Layers.Select(l => l.DiffId).ToList());
    }

    [Fact]
    public void SkopeoReadsOurDockerArchive()
    {
        var archive = _first.File("ours.tar");
        var (_, diffIds) = ExportBusybox(archive, ImageArchiveFormat.DockerArchive);

        using var inspect = JsonDocument.Parse(Tools.Run(_skopeo, "inspect", "docker-archive:" + archive));
        Assert.Equal(diffIds, inspect.RootElement.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));

        var layout = _first.File("copied-layout");
        Tools.Run(_skopeo, "copy", "--quiet", "docker-archive:" + archive, "oci:" + layout + ":busybox");
        Assert.True(File.Exists(Path.Combine(layout, "index.json")));
    }

    [Fact]
    public void SkopeoReadsOurOciArchive()
    {
        var archive = _first.File("ours-oci.tar");
        var (_, diffIds) = ExportBusybox(archive, ImageArchiveFormat.OciArchive);
        using var inspect = JsonDocument.Parse(Tools.Run(_skopeo, "inspect", "--config", "oci-archive:" + archive + ":docker.io/library/busybox:latest"));
        Assert.Equal(diffIds, inspect.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public void SkopeoCopiesOfOurExportLoadBack()
    {
        var archive = _first.File("ours.tar");
        var (id, diffIds) = ExportBusybox(archive, ImageArchiveFormat.DockerArchive);

        var dockerCopy = _first.File("skopeo-docker.tar");
        Tools.Run(_skopeo, "copy", "--quiet", "docker-archive:" + archive, "docker-archive:" + dockerCopy + ":busybox:copied");
        var fromDocker = Assert.Single(_second.Import(dockerCopy));
        Assert.Equal(id, fromDocker.Image.Id);
        Assert.Equal("docker.io/library/busybox:copied", fromDocker.Tag);
        Assert.True(_second.HasLayers("busybox:copied"));

        // Turning a Docker image into an OCI one rewrites its config, so the id changes; the layers may not.
        var ociCopy = _first.File("skopeo-oci.tar");
        Tools.Run(_skopeo, "copy", "--quiet", "docker-archive:" + archive, "oci-archive:" + ociCopy + ":busybox:oci");
        var fromOci = Assert.Single(_second.Import(ociCopy));
        Assert.Equal(diffIds, fromOci.Image.Layers.Select(l => l.DiffId));
        Assert.Equal("docker.io/library/busybox:oci", fromOci.Tag);
        Assert.True(_second.HasLayers("busybox:oci"));
    }

    [Fact]
    public void SkopeoArchivesOfAnOciLayoutLoad()
    {
        var image = new HandImage(
            (new TarBuilder().Dir("etc/").File("etc/os-release", "NAME=hand\n").Build(), LayerCompression.Gzip),
            (new TarBuilder().File("app", "app").Build(), LayerCompression.None));
        var layout = _first.File("hand-layout");
        image.WriteOciLayout(layout, "hand");

        var ociArchive = _first.File("hand-oci.tar");
        Tools.Run(_skopeo, "copy", "--quiet", "oci:" + layout + ":hand", "oci-archive:" + ociArchive + ":docker.io/library/hand:1");
        var fromOci = Assert.Single(_second.Import(ociArchive));
        Assert.Equal(image.ConfigDigest.ToString(), fromOci.Image.Id);
        Assert.Equal("docker.io/library/hand:1", fromOci.Tag);
        Assert.Equal(image.DiffIds, fromOci.Image.Layers.Select(l => l.DiffId));

        var dockerArchive = _first.File("hand-docker.tar");
        Tools.Run(_skopeo, "copy", "--quiet", "oci:" + layout + ":hand", "docker-archive:" + dockerArchive + ":hand:2");
        var fromDocker = Assert.Single(_second.Import(dockerArchive));
        Assert.Equal(image.DiffIds, fromDocker.Image.Layers.Select(l => l.DiffId));
        Assert.Equal("docker.io/library/hand:2", fromDocker.Tag);
        Assert.True(_second.HasLayers("hand:2"));
    }

    [Theory]
    [InlineData("DockerArchive")]
    [InlineData("OciArchive")]
    public void PodmanLoadsOurArchive(string format)
    {
        var podman = Tools.Require("/usr/bin/podman", "podman");
        var archive = _first.File("podman.tar");
        var (id, _) = ExportBusybox(archive, Enum.Parse<ImageArchiveFormat>(format));
        // A private vfs store: the machine's own podman images stay untouched and nothing is mounted.
        string[] store = ["--root", _first.File("podman-root"), "--runroot", _first.File("podman-runroot"), "--storage-driver", "vfs"];

        var loaded = Tools.Run(podman, [.. store, "load", "--input", archive]);
        Assert.Contains("docker.io/library/busybox:latest", loaded);
        var images = Tools.Run(podman, [.. store, "images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"]);
        Assert.Contains(id + " docker.io/library/busybox:latest", images);
    }
}
