using System.Text;
using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Registry;
using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Registry;

/// <summary>The Bearer flow, token caching, redirects, resume, digest checks and retries against an in-test registry.</summary>
public sealed class BearerTokenTests : IDisposable
{
    private static readonly byte[] ManifestBody = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},"layers":[]}""");

    private readonly FakeTokenRegistry _fake = new();
    private readonly string _configDir = Directory.CreateTempSubdirectory("psc-cfg-").FullName;
    private readonly ManualTimeProvider _time = new();

    public BearerTokenTests()
    {
        _fake.Manifests["team/app:v1"] = (ManifestBody, MediaTypes.OciManifest, Digest.Of(ManifestBody).ToString());
        _fake.Manifests["other/app:v1"] = (ManifestBody, MediaTypes.OciManifest, null);
    }

    public void Dispose()
    {
        _fake.Dispose();
        Directory.Delete(_configDir, recursive: true);
    }

    private RegistryClient Client(RegistryCredential? credential = null) => new(_fake.Registry.Host, new RegistryClientOptions
    {
        Credential = credential,
        CredentialStore = new RegistryCredentialStore(Path.Combine(_configDir, "config.json")),
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        TimeProvider = _time,
    });

    [Fact]
    public async Task FetchesAnAnonymousTokenOnceAndCachesIt()
    {
        using var client = Client();
        await client.GetManifestAsync("team/app", "v1");
        await client.GetManifestAsync("team/app", "v1");
        await client.HeadManifestAsync("team/app", "v1");

        Assert.Equal(1, _fake.TokenRequests);
        var query = Assert.Single(_fake.TokenQueries);
        Assert.Contains("service=fake-registry", query);
        Assert.Contains("scope=repository%3Ateam%2Fapp%3Apull", query);
    }

    [Fact]
    public async Task AnotherScopeGetsAnotherToken()
    {
        using var client = Client();
        await client.GetManifestAsync("team/app", "v1");
        await client.GetManifestAsync("other/app", "v1");
        await client.GetManifestAsync("team/app", "v1");
        Assert.Equal(2, _fake.TokenRequests);
    }

    [Fact]
    public async Task ExpiredTokenIsFetchedAgain()
    {
        using var client = Client();
        await client.GetManifestAsync("team/app", "v1");
        _time.Advance(TimeSpan.FromSeconds(200));
        await client.GetManifestAsync("team/app", "v1");
        Assert.Equal(1, _fake.TokenRequests);
        _time.Advance(TimeSpan.FromSeconds(101));
        await client.GetManifestAsync("team/app", "v1");
        Assert.Equal(2, _fake.TokenRequests);
    }

    [Fact]
    public async Task AcceptsOAuthStyleAccessToken()
    {
        _fake.UseAccessTokenField = true;
        using var client = Client();
        Assert.Equal(Digest.Of(ManifestBody), (await client.GetManifestAsync("team/app", "v1")).Digest);
    }

    [Fact]
    public async Task SendsTheLoginToTheTokenServer()
    {
        _fake.RequiredLogin = new RegistryCredential("alice", "pw");
        using (var client = Client(new RegistryCredential("alice", "pw")))
            await client.GetManifestAsync("team/app", "v1");

        using var anonymous = Client();
        var error = await Assert.ThrowsAsync<EngineException>(() => anonymous.GetManifestAsync("team/app", "v1"));
        Assert.Equal("RegistryUnauthorized", error.ErrorId);
        Assert.Contains("anonymous", error.Message);

        using var wrong = Client(new RegistryCredential("alice", "nope"));
        error = await Assert.ThrowsAsync<EngineException>(() => wrong.GetManifestAsync("team/app", "v1"));
        Assert.Contains("alice", error.Message);
    }

    [Fact]
    public async Task BlobRedirectToAnotherHostDropsTheToken()
    {
        var blob = Encoding.UTF8.GetBytes(new string('b', 10000));
        var digest = Digest.Of(blob);
        _fake.Blobs[digest.ToString()] = blob;
        using var client = Client();
        await using var stream = await client.GetBlobAsync("team/app", digest);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(blob, copy.ToArray());
        Assert.Contains(_fake.RegistryAuthorizations, a => a?.StartsWith("Bearer ") == true);
        Assert.All(_fake.CdnAuthorizations, Assert.Null);
    }

    [Fact]
    public async Task ResumesADroppedDownloadWithRange()
    {
        var blob = System.Security.Cryptography.RandomNumberGenerator.GetBytes(200_000);
        var digest = Digest.Of(blob);
        _fake.Blobs[digest.ToString()] = blob;
        _fake.DropFirstBlobResponse = true;
        using var client = Client();
        await using var stream = await client.GetBlobAsync("team/app", digest);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(digest, Digest.Of(copy.ToArray()));
        Assert.Equal(2, _fake.CdnRanges.Count);
        Assert.StartsWith("bytes=", _fake.CdnRanges.Last());
    }

    [Fact]
    public async Task RejectsAManifestWhoseAnnouncedDigestDiffers()
    {
        _fake.Manifests["team/app:lying"] = (ManifestBody, MediaTypes.OciManifest, Digest.Of("other"u8).ToString());
        using var client = Client();
        var error = await Assert.ThrowsAsync<EngineException>(() => client.GetManifestAsync("team/app", "lying"));
        Assert.Equal("DigestMismatch", error.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidData, error.Kind);
    }

    [Fact]
    public async Task RejectsAManifestThatDoesNotMatchItsPinnedDigest()
    {
        var pinned = Digest.Of("what we asked for"u8).ToString();
        _fake.Manifests["team/app:" + pinned] = (ManifestBody, MediaTypes.OciManifest, null);
        using var client = Client();
        var error = await Assert.ThrowsAsync<EngineException>(() => client.GetManifestAsync("team/app", pinned));
        Assert.Equal("DigestMismatch", error.ErrorId);
    }

    [Fact]
    public async Task RefusesManifestsOverFourMebibytes()
    {
        _fake.Manifests["team/app:huge"] = (new byte[4 * 1024 * 1024 + 1], MediaTypes.OciManifest, null);
        using var client = Client();
        var error = await Assert.ThrowsAsync<EngineException>(() => client.GetManifestAsync("team/app", "huge"));
        Assert.Equal("ManifestTooLarge", error.ErrorId);
    }

    [Fact]
    public async Task RefusesSchemaOneManifests()
    {
        _fake.Manifests["team/app:old"] = ("""{"schemaVersion":1,"name":"team/app","fsLayers":[]}"""u8.ToArray(), "application/vnd.docker.distribution.manifest.v1+prettyjws", null);
        using var client = Client();
        var error = await Assert.ThrowsAsync<EngineException>(() => client.GetManifestAsync("team/app", "old"));
        Assert.Equal("UnsupportedMediaType", error.ErrorId);
    }

    [Fact]
    public async Task TakesTheMediaTypeFromTheBodyWhenTheHeaderIsGeneric()
    {
        var index = """{"schemaVersion":2,"manifests":[]}"""u8.ToArray();
        _fake.Manifests["team/app:index"] = (index, "application/json", null);
        using var client = Client();
        var manifest = await client.GetManifestAsync("team/app", "index");
        Assert.Equal(MediaTypes.OciIndex, manifest.MediaType);
        Assert.Empty(manifest.ParseIndex().Manifests);
    }

    [Fact]
    public async Task RetriesServerErrors()
    {
        _fake.Manifests["team/app:flaky"] = (ManifestBody, MediaTypes.OciManifest, null);
        _fake.FailuresBeforeSuccess = 2;
        using var client = Client();
        await client.GetManifestAsync("team/app", "flaky");
        Assert.Equal(3, _fake.FlakyAttempts);
    }

    [Fact]
    public async Task GivesUpAfterFourAttempts()
    {
        _fake.FailuresBeforeSuccess = 100;
        using var client = Client();
        var error = await Assert.ThrowsAsync<EngineException>(() => client.GetManifestAsync("team/app", "flaky"));
        Assert.Equal("RegistryError", error.ErrorId);
        Assert.Equal(4, _fake.FlakyAttempts);
    }

    [Fact]
    public async Task FollowsLinkPagination()
    {
        _fake.Tags.AddRange(["a", "b", "c", "d", "e"]);
        using var client = Client();
        Assert.Equal(["a", "b", "c", "d", "e"], await client.ListTagsAsync("team/app", pageSize: 2));
        Assert.Equal(3, _fake.TagPages);
    }

    [Fact]
    public async Task UnknownManifestIsNotFound()
    {
        using var client = Client();
        var error = await Assert.ThrowsAsync<EngineException>(() => client.GetManifestAsync("team/app", "nope"));
        Assert.Equal("ManifestUnknown", error.ErrorId);
        Assert.Equal(EngineErrorKind.NotFound, error.Kind);
    }
}
