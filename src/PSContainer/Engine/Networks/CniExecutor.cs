using System.Text.Json;
using System.Text.Json.Nodes;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Networks;

/// <summary>
/// The CNI runtime side of the protocol: runs the plugins of a network configuration list for one attachment,
/// ADD in order with each result passed on as prevResult, DEL in reverse with the cached final result.
/// </summary>
internal sealed class CniExecutor
{
    /// <summary>Where distributions install the plugins: Debian's containernetworking-plugins, then the upstream default.</summary>
    public static readonly string[] DefaultPluginDirs = ["/usr/lib/cni", "/usr/libexec/cni", "/opt/cni/bin"];

    private static readonly TimeSpan PluginTimeout = TimeSpan.FromSeconds(60);
    private readonly IReadOnlyList<string> _pluginDirs;

    public CniExecutor(IReadOnlyList<string>? pluginDirs = null) => _pluginDirs = pluginDirs ?? DefaultPluginDirs;

    /// <summary>The plugin executable for <paramref name="type"/>, or null.</summary>
    public string? Find(string type) =>
        type.Contains('/') ? null : _pluginDirs.Select(d => Path.Combine(d, type)).FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs ADD for every plugin in order. <paramref name="progress"/> sees each intermediate result, so the caller
    /// can cache it: if a later plugin fails, DEL still gets what the earlier ones did.
    /// </summary>
    public JsonObject Add(CniAttachment attachment, Action<JsonObject> progress)
    {
        var (name, version, plugins) = Parse(attachment.Config);
        JsonObject? previous = null;
        foreach (var plugin in plugins)
        {
            var request = CniConfig.PluginRequest(plugin, name, version, previous, attachment.CapabilityArgs);
            previous = Invoke("ADD", plugin, request, attachment)
                ?? throw new EngineException("NetworkPluginFailed", EngineErrorKind.ExternalFailure, $"CNI plugin {Type(plugin)} returned no result for ADD on network {name}.", name);
            progress(previous);
        }
        return previous ?? new JsonObject { ["cniVersion"] = version };
    }

    /// <summary>Runs DEL for every plugin in reverse order, each with the cached ADD result as prevResult.</summary>
    public void Delete(CniAttachment attachment)
    {
        var (name, version, plugins) = Parse(attachment.Config);
        for (var i = plugins.Count - 1; i >= 0; i--)
            Invoke("DEL", plugins[i], CniConfig.PluginRequest(plugins[i], name, version, attachment.Result, attachment.CapabilityArgs), attachment);
    }

    /// <summary>Runs one plugin with its configuration and no list around it (the loopback plugin needs nothing else).</summary>
    public void AddSingle(JsonObject plugin, CniAttachment attachment)
    {
        var request = CniConfig.PluginRequest(plugin, (string?)plugin["name"] ?? Type(plugin), (string?)plugin["cniVersion"] ?? CniConfig.Version, null, null);
        Invoke("ADD", plugin, request, attachment);
    }

    /// <summary>The protocol versions a plugin supports (its VERSION answer).</summary>
    public IReadOnlyList<string> SupportedVersions(string type)
    {
        var path = Find(type) ?? throw NotInstalled(type);
        var result = ProcessRunner.Run(path, [], new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, PluginTimeout, "{}");
        if (result.ExitCode != 0) throw Failure(type, "VERSION", result);
        return (JsonNode.Parse(result.StdOut)?["supportedVersions"] as JsonArray)?.Select(v => (string?)v ?? "").ToList() ?? [];
    }

    private static (string Name, string Version, List<JsonObject> Plugins) Parse(JsonObject list)
    {
        var name = (string?)list["name"] ?? throw Invalid("it has no name");
        var version = (string?)list["cniVersion"] ?? CniConfig.Version;
        var plugins = (list["plugins"] as JsonArray)?.OfType<JsonObject>().ToList() ?? throw Invalid($"network {name} has no plugins");
        return (name, version, plugins);
    }

    private JsonObject? Invoke(string command, JsonObject plugin, JsonObject request, CniAttachment attachment)
    {
        var type = Type(plugin);
        var path = Find(type) ?? throw NotInstalled(type);
        var environment = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = attachment.ContainerId,
            // DEL may run after the namespace is gone (after a reboot); the plugins then clean up what they can.
            ["CNI_NETNS"] = command == "DEL" && !File.Exists(attachment.NetNs) ? "" : attachment.NetNs,
            ["CNI_IFNAME"] = attachment.IfName,
            ["CNI_PATH"] = string.Join(':', _pluginDirs),
            // Empty rather than inherited: the caller's environment must not leak arguments into the plugins.
            ["CNI_ARGS"] = "",
        };
        var result = ProcessRunner.Run(path, [], environment, PluginTimeout, request.ToJsonString());
        if (result.ExitCode != 0) throw Failure(type, command, result);
        if (string.IsNullOrWhiteSpace(result.StdOut)) return null;
        try
        {
            return JsonNode.Parse(result.StdOut) as JsonObject;
        }
        catch (JsonException ex)
        {
            throw new EngineException("NetworkPluginFailed", EngineErrorKind.ExternalFailure, $"CNI plugin {type} {command} printed no JSON result: {ex.Message}", type, ex);
        }
    }

    private static string Type(JsonObject plugin) => (string?)plugin["type"] ?? throw Invalid("a plugin has no type");

    /// <summary>A plugin failure with the plugin's own error message (spec section 5, "Error").</summary>
    private static EngineException Failure(string type, string command, ProcessRunner.Result result)
    {
        string message;
        try
        {
            var error = JsonNode.Parse(result.StdOut) as JsonObject;
            message = string.Join(": ", new[] { (string?)error?["msg"], (string?)error?["details"] }.Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (JsonException)
        {
            message = "";
        }
        if (message.Length == 0) message = (result.StdErr + result.StdOut).Trim();
        return new EngineException("NetworkPluginFailed", EngineErrorKind.ExternalFailure, $"CNI plugin {type} {command} failed (exit {result.ExitCode}): {message}", type);
    }

    private static EngineException NotInstalled(string type) =>
        new("CniPluginNotFound", EngineErrorKind.NotInstalled,
            $"The CNI plugin '{type}' was not found in {string.Join(", ", DefaultPluginDirs)}. Install it: apt-get install containernetworking-plugins.", type);

    private static EngineException Invalid(string reason) =>
        new("InvalidNetworkConfig", EngineErrorKind.InvalidData, $"Invalid network configuration list: {reason}.");
}
