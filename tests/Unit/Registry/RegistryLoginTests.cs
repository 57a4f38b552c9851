using System.Text.Json.Nodes;
using PSContainer.Engine;
using PSContainer.Engine.Registry;

namespace PSContainer.Tests.Registry;

/// <summary>Logging in to and out of a TLS registry with htpasswd Basic auth.</summary>
public sealed class RegistryLoginTests : IClassFixture<SecureRegistryFixture>, IDisposable
{
    private readonly SecureRegistryFixture _fixture;
    private readonly string _configDir = Directory.CreateTempSubdirectory("psc-login-").FullName;

    public RegistryLoginTests(SecureRegistryFixture fixture) => _fixture = fixture;

    public void Dispose() => Directory.Delete(_configDir, recursive: true);

    private string Host => _fixture.Server.Host;

    private string ConfigPath => Path.Combine(_configDir, "docker", "config.json");

    private RegistryClientOptions Options() => new()
    {
        CredentialStore = new RegistryCredentialStore(ConfigPath),
        CertificateDirectories = [_fixture.CertsD],
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task StoresAnAcceptedLoginPrivatelyAndForgetsIt()
    {
        var login = new RegistryCredential(SecureRegistryFixture.User, SecureRegistryFixture.Password);
        await RegistryLogin.LoginAsync(Host, login, Options(), CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        var auth = (string?)JsonNode.Parse(File.ReadAllText(ConfigPath))!["auths"]![Host]!["auth"];
        Assert.Equal(login.ToBasic(), auth);
        using (var client = new RegistryClient(Host, Options()))
            await client.VerifyLoginAsync();

        var store = new RegistryCredentialStore(ConfigPath);
        RegistryLogin.Logout(Host, store);
        Assert.Null(store.Get(Host));
        Assert.Equal("NotLoggedIn", Assert.Throws<EngineException>(() => RegistryLogin.Logout(Host, store)).ErrorId);
    }

    [Fact]
    public async Task ARefusedLoginIsNeverStored()
    {
        var error = await Assert.ThrowsAsync<EngineException>(() =>
            RegistryLogin.LoginAsync(Host, new RegistryCredential(SecureRegistryFixture.User, "wrong-password"), Options(), CancellationToken.None));
        Assert.Equal("RegistryUnauthorized", error.ErrorId);
        Assert.DoesNotContain("wrong-password", error.Message);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task AnonymousAccessFailsTheCheck()
    {
        using var client = new RegistryClient(Host, Options());
        var error = await Assert.ThrowsAsync<EngineException>(() => client.VerifyLoginAsync());
        Assert.Equal("RegistryUnauthorized", error.ErrorId);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("http://localhost:5000/v2/", "localhost:5000")]
    [InlineData(" ghcr.io ", "ghcr.io")]
    public void NormalizesRegistryNames(string typed, string expected) => Assert.Equal(expected, RegistryLogin.Normalize(typed));

    [Theory]
    [InlineData("")]
    [InlineData("user@host")]
    [InlineData("host name")]
    [InlineData("host?x=1")]
    public void RefusesWhatIsNotARegistry(string typed) =>
        Assert.Equal("InvalidRegistry", Assert.Throws<EngineException>(() => RegistryLogin.Normalize(typed)).ErrorId);
}
