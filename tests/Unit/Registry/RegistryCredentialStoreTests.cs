using System.Text.Json.Nodes;
using PSContainer.Engine.Registry;

namespace PSContainer.Tests.Registry;

public sealed class RegistryCredentialStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("psc-creds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ConfigPath => Path.Combine(_dir, "docker", "config.json");

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void RoundTripsALoginWithPrivateMode()
    {
        var store = new RegistryCredentialStore(ConfigPath);
        store.Save("localhost:5000", new RegistryCredential("alice", "s3cr:et"));

        Assert.Equal(new RegistryCredential("alice", "s3cr:et"), store.Get("localhost:5000"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(ConfigPath)!));
        var json = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        Assert.Equal(Convert.ToBase64String("alice:s3cr:et"u8.ToArray()), (string?)json["auths"]!["localhost:5000"]!["auth"]);
        Assert.Null(store.Get("localhost:5001"));
    }

    [Fact]
    public void StoresDockerHubUnderTheLegacyIndexKey()
    {
        var store = new RegistryCredentialStore(ConfigPath);
        store.Save("docker.io", new RegistryCredential("bob", "pw"));
        var auths = JsonNode.Parse(File.ReadAllText(ConfigPath))!["auths"]!.AsObject();
        Assert.Equal(["https://index.docker.io/v1/"], auths.Select(p => p.Key));
        Assert.Equal("bob", store.Get("docker.io")!.Username);
        Assert.Equal("bob", store.Get("index.docker.io")!.Username);
    }

    [Fact]
    public void KeepsEverythingElseInTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        File.WriteAllText(ConfigPath, """
            {"auths":{"other.example":{"auth":"eDp5"}},"credHelpers":{"gcr.io":"gcloud"},"psFormat":"table {{.ID}}"}
            """);
        var store = new RegistryCredentialStore(ConfigPath);
        store.Save("ghcr.io", new RegistryCredential("c", "d"));
        Assert.True(store.Remove("other.example"));
        Assert.False(store.Remove("other.example"));

        var json = JsonNode.Parse(File.ReadAllText(ConfigPath))!;
        Assert.Equal("gcloud", (string?)json["credHelpers"]!["gcr.io"]);
        Assert.Equal("table {{.ID}}", (string?)json["psFormat"]);
        Assert.Equal(["ghcr.io"], json["auths"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void MatchesUrlKeysAndIgnoresRepositoryKeys()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        File.WriteAllText(ConfigPath, """
            {"auths":{"https://registry.example:8443/v1/":{"auth":"dTE6cDE="},"quay.io/team":{"auth":"dTI6cDI="}}}
            """);
        var store = new RegistryCredentialStore(ConfigPath);
        Assert.Equal(new RegistryCredential("u1", "p1"), store.Get("registry.example:8443"));
        Assert.Null(store.Get("quay.io"));
    }

    [Fact]
    public void ReadsPodmanAuthFilesButNeverWritesThem()
    {
        var podman = Path.Combine(_dir, "auth.json");
        File.WriteAllText(podman, """{"auths":{"quay.io":{"auth":"cG9kOm1hbg=="}}}""");
        var store = new RegistryCredentialStore(ConfigPath, [podman]);
        Assert.Equal(new RegistryCredential("pod", "man"), store.Get("quay.io"));

        store.Save("quay.io", new RegistryCredential("docker", "wins"));
        Assert.Equal("docker", store.Get("quay.io")!.Username);
        Assert.Contains("cG9kOm1hbg==", File.ReadAllText(podman));
    }

    [Fact]
    public void FollowsDockerConfigAndRegistryAuthFileVariables()
    {
        var saved = (Environment.GetEnvironmentVariable("DOCKER_CONFIG"), Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE"));
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", Path.Combine(_dir, "dc"));
            Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", Path.Combine(_dir, "podman.json"));
            File.WriteAllText(Path.Combine(_dir, "podman.json"), """{"auths":{"r.example":{"auth":"YTpi"}}}""");
            var store = RegistryCredentialStore.FromEnvironment();
            Assert.Equal(Path.Combine(_dir, "dc", "config.json"), store.DockerConfigPath);
            Assert.Equal(new RegistryCredential("a", "b"), store.Get("r.example"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", saved.Item1);
            Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", saved.Item2);
        }
    }

    [Fact]
    public void PasswordNeverAppearsInToString() =>
        Assert.DoesNotContain("hunter2", new RegistryCredential("u", "hunter2").ToString());
}
