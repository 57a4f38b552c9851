using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PSContainer.Engine.Compose;

/// <summary>
/// A service's configuration hash, Docker Compose's idea: SHA-256 of the normalized service without what
/// does not shape its containers (build, pull_policy, scale, depends_on, profiles). Equal hashes mean an
/// existing container may be kept; a different one means it is recreated.
/// </summary>
internal static class ConfigHash
{
    private static readonly string[] Ignored = ["build", "pull_policy", "scale", "depends_on", "profiles"];

    public static string Of(ComposeService service)
    {
        var node = JsonSerializer.SerializeToNode(service, ComposeJsonContext.Default.ComposeService)!.AsObject();
        foreach (var key in Ignored) node.Remove(key);
        var json = node.ToJsonString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }
}
