using System.Text.Json;
using System.Text.Json.Nodes;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Registry;

/// <summary>
/// Registry logins in Docker's config file (<c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>),
/// which this store reads and writes, falling back to Podman's auth files, which it only reads.
/// Docker Hub is stored under "https://index.docker.io/v1/" as Docker does, so both tools share logins.
/// </summary>
internal sealed class RegistryCredentialStore
{
    private const string DockerHubKey = "https://index.docker.io/v1/";
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = PrivateFile | UnixFileMode.UserExecute;

    private readonly IReadOnlyList<string> _readOnlyFiles;

    /// <summary>Creates a store over explicit files.</summary>
    public RegistryCredentialStore(string dockerConfigPath, IReadOnlyList<string>? readOnlyFiles = null)
    {
        DockerConfigPath = dockerConfigPath;
        _readOnlyFiles = readOnlyFiles ?? [];
    }

    /// <summary>The Docker config file logins are written to.</summary>
    public string DockerConfigPath { get; }

    /// <summary>The store the environment points at, as Docker and Podman find their files.</summary>
    public static RegistryCredentialStore FromEnvironment()
    {
        var dockerDir = Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } d
            ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var podman = new List<string>();
        if (Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE") is { Length: > 0 } authFile)
            podman.Add(authFile);
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtimeDir)
            podman.Add(Path.Combine(runtimeDir, "containers", "auth.json"));
        return new RegistryCredentialStore(Path.Combine(dockerDir, "config.json"), podman);
    }

    /// <summary>The key Docker files a registry's login under.</summary>
    public static string KeyFor(string registry) => IsDockerHub(registry) ? DockerHubKey : registry;

    /// <summary>The login for a registry ("docker.io", "localhost:5000"), or null when there is none.</summary>
    public RegistryCredential? Get(string registry)
    {
        foreach (var file in _readOnlyFiles.Prepend(DockerConfigPath))
            if (Find(Load(file), registry) is { } credential)
                return credential;
        return null;
    }

    /// <summary>Records a login in the Docker config file, keeping everything else in it.</summary>
    public void Save(string registry, RegistryCredential credential)
    {
        var root = Load(DockerConfigPath) ?? new JsonObject();
        if (root["auths"] is not JsonObject auths)
            root["auths"] = auths = new JsonObject();
        RemoveEntries(auths, registry);
        auths[KeyFor(registry)] = new JsonObject { ["auth"] = credential.ToBasic() };
        Write(root);
    }

    /// <summary>Forgets a registry's login; returns whether there was one.</summary>
    public bool Remove(string registry)
    {
        if (Load(DockerConfigPath) is not { } root || root["auths"] is not JsonObject auths || !RemoveEntries(auths, registry))
            return false;
        Write(root);
        return true;
    }

    private static RegistryCredential? Find(JsonObject? root, string registry)
    {
        if (root?["auths"] is not JsonObject auths)
            return null;
        foreach (var (key, value) in auths)
            if (Matches(key, registry) && value is JsonObject entry &&
                RegistryCredential.FromBasic((entry["auth"] as JsonValue)?.GetValue<string>()) is { } credential)
                return credential;
        return null;
    }

    private static bool RemoveEntries(JsonObject auths, string registry)
    {
        var keys = auths.Select(p => p.Key).Where(k => Matches(k, registry)).ToList();
        foreach (var key in keys)
            auths.Remove(key);
        return keys.Count > 0;
    }

    // Docker keys may be URLs ("https://host/v1/"); Podman keys may name a repository ("host/org"), which is
    // narrower than a registry-wide login and so never matches here.
    private static bool Matches(string key, string registry)
    {
        var host = key;
        var schemeEnd = key.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            host = key[(schemeEnd + 3)..];
            var slash = host.IndexOf('/');
            if (slash >= 0)
                host = host[..slash];
        }
        else if (key.Contains('/'))
        {
            return false;
        }
        return IsDockerHub(registry) ? IsDockerHub(host) : host.Equals(registry, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsDockerHub(string host) =>
        host is "docker.io" or "index.docker.io" or "registry-1.docker.io";

    private static JsonObject? Load(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new EngineException("InvalidCredentialFile", EngineErrorKind.InvalidData, $"Cannot read registry logins from {path}: {e.Message}", path, e);
        }
    }

    private void Write(JsonObject root)
    {
        var directory = Path.GetDirectoryName(DockerConfigPath)!;
        if (!Directory.Exists(directory) && !OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory, PrivateDirectory);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1 }))
            root.WriteTo(writer);
        buffer.Write("\n"u8);
        AtomicFile.WriteAllBytes(DockerConfigPath, buffer.ToArray(), PrivateFile);
    }
}
