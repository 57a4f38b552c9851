using System.Text.Json.Nodes;

namespace PSContainer.Engine.Networks;

/// <summary>
/// One attachment of a container to a network, identified by (container id, interface name) as in the CNI
/// specification. It is cached in the store before ADD and updated with each result, because DEL needs the
/// configuration, the capability arguments and the final result of the ADD it undoes.
/// </summary>
internal sealed class CniAttachment
{
    public string Network { get; set; } = "";
    public string ContainerId { get; set; } = "";
    public string IfName { get; set; } = "";

    /// <summary>The network namespace path (CNI_NETNS).</summary>
    public string NetNs { get; set; } = "";

    /// <summary>The network configuration list as it was used for ADD.</summary>
    public JsonObject Config { get; set; } = new();

    /// <summary>Capability arguments (runtimeConfig), such as portMappings.</summary>
    public JsonObject? CapabilityArgs { get; set; }

    /// <summary>The iptables rules the engine added for this attachment ("table chain rule-spec"), removed on DEL.</summary>
    public List<string>? HostRules { get; set; }

    /// <summary>The result of the last plugin that succeeded; the final ADD result once all have.</summary>
    public JsonObject? Result { get; set; }
}
