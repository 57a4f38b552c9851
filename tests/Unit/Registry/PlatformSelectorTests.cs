using PSContainer.Engine;
using PSContainer.Engine.Content;
using PSContainer.Engine.Registry;

namespace PSContainer.Tests.Registry;

public class PlatformSelectorTests
{
    private static Descriptor Entry(string platform, string mediaType = MediaTypes.OciManifest, Dictionary<string, string>? annotations = null)
    {
        var p = Platform.Parse(platform);
        return new Descriptor
        {
            MediaType = mediaType,
            Digest = Digest.Of(System.Text.Encoding.UTF8.GetBytes(platform + annotations?.Count)),
            Size = 100,
            Platform = p,
            Annotations = annotations,
        };
    }

    private static Descriptor Attestation(string forDigest) => Entry("unknown/unknown", annotations: new()
    {
        ["vnd.docker.reference.type"] = "attestation-manifest",
        ["vnd.docker.reference.digest"] = forDigest,
    });

    private static ImageIndex Index(params Descriptor[] entries) => new() { MediaType = MediaTypes.OciIndex, Manifests = [.. entries] };

    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("linux/arm64", "linux/arm64/v8")]
    [InlineData("linux/arm64/v8", "linux/arm64/v8")]
    [InlineData("linux/aarch64", "linux/arm64/v8")]
    [InlineData("linux/arm", "linux/arm/v7")]
    [InlineData("linux/arm/7", "linux/arm/v7")]
    [InlineData("linux/armhf", "linux/arm/v7")]
    [InlineData("linux/arm/v6", "linux/arm/v6")]
    [InlineData("LINUX/AMD64", "linux/amd64")]
    public void PicksTheRequestedPlatform(string wanted, string expected)
    {
        var index = Index(Attestation("sha256:x"), Entry("linux/amd64"), Entry("linux/arm64/v8"), Entry("linux/arm/v7"), Entry("linux/arm/v6"), Attestation("sha256:y"));
        Assert.Equal(expected, PlatformSelector.Select(index, Platform.Parse(wanted)).Platform!.ToString());
    }

    [Fact]
    public void Arm64WithoutVariantMatchesRequestForV8()
    {
        var index = Index(Entry("linux/arm64"));
        Assert.Equal("linux/arm64", PlatformSelector.Select(index, Platform.Parse("linux/arm64/v8")).Platform!.ToString());
    }

    [Fact]
    public void ArmFallsBackToOlderVariants()
    {
        var index = Index(Entry("linux/arm/v5"), Entry("linux/arm/v6"));
        Assert.Equal("linux/arm/v6", PlatformSelector.Select(index, Platform.Parse("linux/arm/v7")).Platform!.ToString());
    }

    [Fact]
    public void ArmNeverPicksNewerVariants()
    {
        var index = Index(Entry("linux/arm/v7"));
        var error = Assert.Throws<EngineException>(() => PlatformSelector.Select(index, Platform.Parse("linux/arm/v6")));
        Assert.Equal("NoMatchingPlatform", error.ErrorId);
        Assert.Contains("linux/arm/v7", error.Message);
    }

    [Fact]
    public void Amd64LevelsFallBackToBaseline()
    {
        var index = Index(Entry("linux/amd64"), Entry("linux/amd64/v2"));
        Assert.Equal("linux/amd64/v2", PlatformSelector.Select(index, Platform.Parse("linux/amd64/v3")).Platform!.ToString());
        Assert.Equal("linux/amd64", PlatformSelector.Select(index, Platform.Parse("linux/amd64")).Platform!.ToString());
    }

    [Fact]
    public void SkipsAttestationsEvenWithARealPlatform()
    {
        var disguised = Entry("linux/amd64", annotations: new() { ["vnd.docker.reference.type"] = "attestation-manifest" });
        var real = Entry("linux/amd64");
        Assert.Same(real, PlatformSelector.Select(Index(disguised, real), Platform.Parse("linux/amd64")));
    }

    [Fact]
    public void OnlyAttestationsIsNoMatch()
    {
        var error = Assert.Throws<EngineException>(() => PlatformSelector.Select(Index(Attestation("sha256:x")), Platform.Parse("linux/amd64")));
        Assert.Equal(EngineErrorKind.NotFound, error.Kind);
        Assert.Contains("none", error.Message);
    }

    [Fact]
    public void UnknownPlatformIsNeverPicked() =>
        Assert.Throws<EngineException>(() => PlatformSelector.Select(Index(Entry("unknown/unknown")), Platform.Parse("unknown/unknown")));

    [Fact]
    public void SkipsEntriesThatAreNotImages()
    {
        var artifact = Entry("linux/amd64", mediaType: "application/vnd.example.sbom");
        var image = Entry("linux/amd64", MediaTypes.DockerManifest);
        Assert.Same(image, PlatformSelector.Select(Index(artifact, image), Platform.Parse("linux/amd64")));
    }

    [Fact]
    public void DefaultsToThisMachine()
    {
        var current = Platform.Current;
        Assert.Equal("linux", current.Os);
        var index = Index(Entry("windows/amd64"), Entry(current.ToString()));
        Assert.Equal(current.Normalize(), PlatformSelector.Select(index).Platform!.Normalize());
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("linux/")]
    [InlineData("linux/arm/v7/extra")]
    public void RejectsMalformedPlatforms(string text) =>
        Assert.Equal("InvalidPlatform", Assert.Throws<EngineException>(() => Platform.Parse(text)).ErrorId);

    [Fact]
    public void ParsesIndexJsonWithPlatforms()
    {
        var json = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":1,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":2,"platform":{"architecture":"unknown","os":"unknown"},
           "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}
        """;
        var response = new ManifestResponse(System.Text.Encoding.UTF8.GetBytes(json), MediaTypes.OciIndex, Digest.Of([]));
        var selected = PlatformSelector.Select(response.ParseIndex(), Platform.Parse("linux/arm64"));
        Assert.Equal(1, selected.Size);
    }
}
