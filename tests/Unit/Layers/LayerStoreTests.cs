// The concurrency test blocks on real threads on purpose.
#pragma warning disable xUnit1031

using System.Text;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Storage;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Layers;

public sealed class LayerStoreTests : IDisposable
{
    // The diff_ids of the example image in the OCI image spec (config.md).
    private const string A = "sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1";
    private const string B = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";
    // printf '%s' "$A $B" | sha256sum
    private const string ChainAB = "sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f";
    // C = sha256("c"); printf '%s' "$ChainAB $C" | sha256sum
    private const string C = "sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6";
    private const string ChainABC = "sha256:e81c17ead7e98e8950e00ca1e56ef3c2b84fc6160a2fc3515291ba7d4fcdd179";

    private const int Rounds = 100;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly ScratchDir _dir = new("pscontainer-layerstore-");
    private readonly StoreLayout _layout;
    private readonly LayerStore _store;

    public LayerStoreTests()
    {
        _layout = new StoreLayout(_dir["root"], _dir["run"]);
        _layout.EnsureCreated();
        _store = new LayerStore(_layout);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A fill that writes one file and reports the digest of its content as the diff id.</summary>
    private static Func<string, (string, long)> Fill(string content, Action? during = null) => dir =>
    {
        File.WriteAllText(Path.Combine(dir, "file.txt"), content);
        during?.Invoke();
        return (Digest.Of(Encoding.UTF8.GetBytes(content)).ToString(), content.Length);
    };

    private static string DiffIdOf(string content) => Digest.Of(Encoding.UTF8.GetBytes(content)).ToString();

    private string[] TempEntries() => Directory.GetFileSystemEntries(_layout.TempDir);

    [Fact]
    public void BaseChainIdIsTheDiffId() => Assert.Equal(A, LayerStore.ChainIdOf(null, A));

    [Fact]
    public void ChainIdOfAStackedLayer() => Assert.Equal(ChainAB, LayerStore.ChainIdOf(A, B));

    [Fact]
    public void ChainIdsOfEveryPrefix()
    {
        Assert.Equal([A, ChainAB, ChainABC], LayerStore.ChainIdsOf([A, B, C]));
        Assert.Empty(LayerStore.ChainIdsOf([]));
    }

    [Fact]
    public void ChainIdsDependOnOrder() => Assert.NotEqual(LayerStore.ChainIdsOf([A, B])[1], LayerStore.ChainIdsOf([B, A])[1]);

    [Fact]
    public void CreateFillsStagingAndMovesItIntoPlace()
    {
        string? staging = null;
        var record = _store.Create(null, DiffIdOf("one"), dir =>
        {
            staging = dir;
            Assert.StartsWith(_layout.TempDir + "/", dir);
            Assert.Empty(Directory.GetFileSystemEntries(dir));
            return Fill("one")(dir);
        });
        var diffId = DiffIdOf("one");
        Assert.Equal(diffId, record.ChainId);
        Assert.Equal(diffId, record.DiffId);
        Assert.Null(record.Parent);
        Assert.Equal(3, record.Size);
        Assert.Equal(Digest.Parse(diffId).Hex[..26].ToUpperInvariant(), record.Link);
        Assert.True(_store.Exists(record.ChainId));
        Assert.Equal("one", File.ReadAllText(Path.Combine(_store.DiffDir(record.ChainId), "file.txt")));
        Assert.False(Directory.Exists(staging));
        Assert.Empty(TempEntries());

        var link = Path.Combine(_layout.Root, _store.LinkPath(record));
        Assert.Equal("one", File.ReadAllText(Path.Combine(link, "file.txt")));
        Assert.Equal(Path.GetFullPath(_store.DiffDir(record.ChainId)), Path.GetFullPath(Path.Combine(_layout.LinksDir, new DirectoryInfo(link).LinkTarget!)));

        var again = _store.Get(record.ChainId);
        Assert.Equal((record.ChainId, record.DiffId, record.Link, record.Size), (again.ChainId, again.DiffId, again.Link, again.Size));
    }

    [Fact]
    public void CreateOnAParent()
    {
        var parent = _store.Create(null, null, Fill("base"));
        var child = _store.Create(parent.ChainId, DiffIdOf("child"), Fill("child"));
        Assert.Equal(LayerStore.ChainIdOf(parent.ChainId, DiffIdOf("child")), child.ChainId);
        Assert.Equal(parent.ChainId, child.Parent);
        Assert.Equal(DiffIdOf("child"), child.DiffId);
        Assert.Equal(2, _store.List().Count());
    }

    [Fact]
    public void DiffIdMismatchLeavesNothing()
    {
        var ex = Assert.Throws<EngineException>(() => _store.Create(null, DiffIdOf("expected"), Fill("actual")));
        Assert.Equal("DiffIdMismatch", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidData, ex.Kind);
        Assert.Empty(TempEntries());
        Assert.Empty(Directory.GetFileSystemEntries(_layout.LayersDir));
        Assert.Empty(Directory.GetFileSystemEntries(_layout.LinksDir));
    }

    [Fact]
    public void AFailingFillLeavesNothing()
    {
        Assert.Throws<InvalidDataException>(() => _store.Create(null, null, Fill("x", () => throw new InvalidDataException("bad tar"))));
        Assert.Empty(TempEntries());
        Assert.Empty(Directory.GetFileSystemEntries(_layout.LayersDir));
        Assert.Empty(Directory.GetFileSystemEntries(_layout.LinksDir));
    }

    [Fact]
    public void AnExistingLayerWithAKnownDiffIdIsNotFilledAgain()
    {
        var first = _store.Create(null, DiffIdOf("one"), Fill("one"));
        var second = _store.Create(null, DiffIdOf("one"), _ => throw new InvalidOperationException("fill must not run"));
        Assert.Equal(first.ChainId, second.ChainId);
    }

    [Fact]
    public void AnExistingLayerFoundAfterFillingDiscardsTheCopy()
    {
        var first = _store.Create(null, null, Fill("one"));
        var second = _store.Create(null, null, Fill("one"));
        Assert.Equal(first.ChainId, second.ChainId);
        Assert.Single(_store.List());
        Assert.Empty(TempEntries());
    }

    [Fact]
    public void GetOfAMissingLayer() =>
        Assert.Equal("LayerNotFound", Assert.Throws<EngineException>(() => _store.Get(A)).ErrorId);

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void ConcurrentCreatesOfOneLayerBothSucceedWithOneResult(int writers)
    {
        for (var round = 0; round < Rounds; round++)
        {
            var content = $"shared layer {writers} {round}";
            // Every writer finishes filling before any goes on, so they race for the rename.
            using var barrier = new Barrier(writers);
            var tasks = Enumerable.Range(0, writers)
                .Select(_ => Task.Factory.StartNew(() => _store.Create(null, DiffIdOf(content), Fill(content, () => barrier.SignalAndWait(Limit))), TaskCreationOptions.LongRunning))
                .ToArray();
            Assert.True(Task.WaitAll(tasks, Limit), "concurrent creates did not finish");
            var chain = DiffIdOf(content);
            Assert.All(tasks, t => Assert.Equal(chain, t.Result.ChainId));
            Assert.True(_store.Exists(chain));
            Assert.Equal(content, File.ReadAllText(Path.Combine(_store.DiffDir(chain), "file.txt")));
        }
        Assert.Empty(TempEntries());
        Assert.Equal(Rounds, _store.List().Count());
        Assert.Equal(Rounds, Directory.GetFileSystemEntries(_layout.LinksDir).Length);
    }

    [Fact]
    public void CreateAfterACrashLeftADanglingLinkSucceeds()
    {
        // A crash between creating the short link and renaming the layer into place leaves the link dangling.
        var chain = DiffIdOf("crashed");
        var link = Path.Combine(_layout.LinksDir, Digest.Parse(chain).Hex[..26].ToUpperInvariant());
        File.CreateSymbolicLink(link, Path.Combine("..", "layers", Digest.Parse(chain).Hex, "diff"));
        var record = _store.Create(null, chain, Fill("crashed"));
        Assert.Equal("crashed", File.ReadAllText(Path.Combine(_layout.Root, _store.LinkPath(record), "file.txt")));
    }

    [Fact]
    public void DeleteRemovesTheLayerAndItsLink()
    {
        var record = _store.Create(null, null, Fill("gone"));
        _store.Delete(record.ChainId);
        Assert.False(_store.Exists(record.ChainId));
        Assert.Empty(Directory.GetFileSystemEntries(_layout.LayersDir));
        Assert.Empty(Directory.GetFileSystemEntries(_layout.LinksDir));
    }

    [Fact]
    public void RepairRemovesRecordlessLayersAndDanglingLinks()
    {
        var kept = _store.Create(null, null, Fill("kept"));
        Directory.CreateDirectory(Path.Combine(_layout.LayersDir, new string('d', 64), "diff"));
        File.CreateSymbolicLink(Path.Combine(_layout.LinksDir, "DANGLING"), "../layers/nothing/diff");
        _store.Repair();
        Assert.Equal([Digest.Parse(kept.ChainId).Hex], Directory.GetDirectories(_layout.LayersDir).Select(Path.GetFileName));
        Assert.Equal([kept.Link], Directory.GetFileSystemEntries(_layout.LinksDir).Select(Path.GetFileName));
        Assert.True(_store.Exists(kept.ChainId));
    }
}
