using System.Text.Json;
using PSContainer.Engine;
using PSContainer.Engine.Registry;
using PSContainer.Tests.Registry.Support;
using PSContainer.Engine.Content;

namespace PSContainer.Tests.Registry;

/// <summary>TLS trust and htpasswd Basic auth against a real docker-registry.</summary>
public sealed class SecureRegistryTests : IClassFixture<SecureRegistryFixture>, IDisposable
{
    private readonly SecureRegistryFixture _fixture;
    private readonly string _configDir = Directory.CreateTempSubdirectory("psc-cfg-").FullName;

    public SecureRegistryTests(SecureRegistryFixture fixture) => _fixture = fixture;

    public void Dispose() => Directory.Delete(_configDir, recursive: true);

    private string Host => _fixture.Server.Host;

    private RegistryClientOptions Options(RegistryCredential? credential, bool trustCa = true) => new()
    {
        Credential = credential,
        CredentialStore = new RegistryCredentialStore(Path.Combine(_configDir, "config.json")),
        CertificateDirectories = trustCa ? [_fixture.CertsD] : [],
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    private static RegistryCredential Good => new(SecureRegistryFixture.User, SecureRegistryFixture.Password);

    [Fact]
    public async Task PushesAndPullsOverTlsWithBasicAuth()
    {
        using var client = new RegistryClient(Host, Options(Good));
        var image = new TestImage("tls");
        await image.PushAsync(client, "secure/app", "v1");
        var manifest = await client.GetManifestAsync("secure/app", "v1");
        Assert.Equal(image.ManifestDigest, manifest.Digest);
        Assert.Equal(["v1"], await client.ListTagsAsync("secure/app"));
    }

    [Fact]
    public async Task UsesTheLoginFromTheCredentialStore()
    {
        var options = Options(null);
        options.CredentialStore.Save(Host, Good);
        using var client = new RegistryClient(Host, options);
        var image = new TestImage("stored login");
        await image.PushAsync(client, "secure/stored", "v1");
        Assert.Equal(image.ManifestDigest, (await client.HeadManifestAsync("secure/stored", "v1"))!.Digest);
    }

    [Fact]
    public async Task AnonymousAccessIsRefusedWithAClearError()
    {
        using var client = new RegistryClient(Host, Options(null));
        var error = await Assert.ThrowsAsync<EngineException>(() => client.GetManifestAsync("secure/app", "v1"));
        Assert.Equal("RegistryUnauthorized", error.ErrorId);
        Assert.Equal(EngineErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("login", error.Message);
    }

    [Fact]
    public async Task WrongPasswordIsRefused()
    {
        using var client = new RegistryClient(Host, Options(new RegistryCredential(SecureRegistryFixture.User, "wrong")));
        var error = await Assert.ThrowsAsync<EngineException>(() => client.ListTagsAsync("secure/app"));
        Assert.Equal("RegistryUnauthorized", error.ErrorId);
    }

    [Fact]
    public async Task UnknownCertificateAuthorityIsRejected()
    {
        using var client = new RegistryClient(Host, Options(Good, trustCa: false));
        var error = await Assert.ThrowsAsync<EngineException>(() => client.ListTagsAsync("secure/app"));
        Assert.Equal("RegistryUnreachable", error.ErrorId);
        Assert.Contains("SSL", error.Message);
        Assert.Contains($"certs.d/{Host}/ca.crt", error.Message);
    }

    [Fact]
    public async Task InsecureRegistrySkipsVerification()
    {
        var options = Options(Good, trustCa: false);
        options.InsecureRegistries.Add(Host);
        using var client = new RegistryClient(Host, options);
        var image = new TestImage("insecure");
        await image.PushAsync(client, "secure/insecure", "v1");
        Assert.Equal(image.ManifestDigest, (await client.GetManifestAsync("secure/insecure", "v1")).Digest);
    }

    [Fact]
    public async Task SkopeoAgreesOverTheSameTlsAndAuth()
    {
        var skopeo = Tools.Require("/usr/bin/skopeo", "skopeo");
        using var client = new RegistryClient(Host, Options(Good));
        var image = new TestImage("skopeo over tls");
        await image.PushAsync(client, "secure/skopeo", "v1");
        var output = Tools.Run(skopeo, "inspect", "--cert-dir", Path.Combine(_fixture.CertsD, Host),
            "--creds", $"{SecureRegistryFixture.User}:{SecureRegistryFixture.Password}", $"docker://{Host}/secure/skopeo:v1");
        Assert.Equal(image.ManifestDigest.ToString(), JsonDocument.Parse(output).RootElement.GetProperty("Digest").GetString());
    }
}
