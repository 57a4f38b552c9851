using System.Text.Json.Nodes;
using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

public sealed class CniConfigTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static JsonObject Network(bool isInternal = false) => CniConfig.BridgeNetwork(
        "backend", new string('a', 64), Created, "psc-0123456789a", Ipv4Subnet.Parse("10.213.5.0/24"), "10.213.5.1",
        isInternal, new Dictionary<string, string> { ["team"] = "qa" }, "/store/networks/ipam");

    private static JsonArray Plugins(JsonObject list) => Assert.IsType<JsonArray>(list["plugins"]);

    [Fact]
    public void BridgeNetworkChainsBridgePortmapFirewall()
    {
        var list = Network();
        Assert.Equal("1.0.0", (string?)list["cniVersion"]);
        Assert.Equal("backend", (string?)list["name"]);
        Assert.Equal(["bridge", "portmap", "firewall"], Plugins(list).Select(p => (string?)p!["type"]));
        var bridge = Plugins(list)[0]!;
        Assert.Equal("psc-0123456789a", (string?)bridge["bridge"]);
        Assert.True((bool)bridge["isGateway"]!);
        Assert.True((bool)bridge["ipMasq"]!);
        Assert.True((bool)bridge["hairpinMode"]!);
        var ipam = bridge["ipam"]!;
        Assert.Equal("host-local", (string?)ipam["type"]);
        Assert.Equal("/store/networks/ipam", (string?)ipam["dataDir"]);
        Assert.Equal("10.213.5.0/24", (string?)ipam["ranges"]![0]![0]!["subnet"]);
        Assert.Equal("10.213.5.1", (string?)ipam["ranges"]![0]![0]!["gateway"]);
        Assert.Equal("0.0.0.0/0", (string?)ipam["routes"]![0]!["dst"]);
        Assert.True((bool)Plugins(list)[1]!["capabilities"]!["portMappings"]!);
    }

    [Fact]
    public void InternalNetworkHasNoMasqueradeAndNoDefaultRoute()
    {
        var bridge = Plugins(Network(isInternal: true))[0]!;
        Assert.False((bool)bridge["ipMasq"]!);
        Assert.Null(bridge["ipam"]!["routes"]);
    }

    [Fact]
    public void DefinitionReadsTheListBack()
    {
        var definition = NetworkDefinition.FromConfig(Network(isInternal: true), "file-name");
        Assert.Equal("backend", definition.Name);
        Assert.Equal(new string('a', 64), definition.Id);
        Assert.Equal(Created, definition.Created);
        Assert.True(definition.Internal);
        Assert.Equal("qa", definition.Labels["team"]);
        Assert.Equal("psc-0123456789a", definition.BridgeName);
        Assert.Equal("10.213.5.0/24", definition.Subnet);
        Assert.Equal("10.213.5.1", definition.Gateway);
    }

    [Fact]
    public void DefinitionOfAForeignListUsesTheFileNameAndOldIpamForm()
    {
        var list = JsonNode.Parse("""
            {"cniVersion":"0.4.0","plugins":[{"type":"bridge","bridge":"cni0","ipam":{"type":"host-local","subnet":"10.1.0.0/16","gateway":"10.1.0.254"}}]}
            """)!.AsObject();
        var definition = NetworkDefinition.FromConfig(list, "legacy");
        Assert.Equal(("legacy", "cni0", "10.1.0.0/16", "10.1.0.254", false, ""),
            (definition.Name, definition.BridgeName, definition.Subnet, definition.Gateway, definition.Internal, definition.Id));
    }

    [Fact]
    public void FirstPluginRequestGetsNameAndVersionButNoPrevResult()
    {
        var bridge = Plugins(Network())[0]!.AsObject();
        var request = CniConfig.PluginRequest(bridge, "backend", "1.0.0", null, null);
        Assert.Equal("backend", (string?)request["name"]);
        Assert.Equal("1.0.0", (string?)request["cniVersion"]);
        Assert.False(request.ContainsKey("prevResult"));
        Assert.False(request.ContainsKey("runtimeConfig"));
        Assert.Equal("psc-0123456789a", (string?)request["bridge"]);
    }

    [Fact]
    public void CapabilityArgumentsGoOnlyToPluginsThatDeclareThem()
    {
        var plugins = Plugins(Network());
        var args = CniConfig.PortMappingArgs([
            new PortMapping { HostIp = "127.0.0.1", HostPort = 8080, ContainerPort = 80 },
            new PortMapping { HostPort = 5353, ContainerPort = 53, Protocol = "udp" },
        ])!;
        args["bandwidth"] = new JsonObject { ["ingressRate"] = 1 };
        var previous = new JsonObject { ["cniVersion"] = "1.0.0", ["ips"] = new JsonArray() };

        var portmap = CniConfig.PluginRequest(plugins[1]!.AsObject(), "backend", "1.0.0", previous, args);
        Assert.False(portmap.ContainsKey("capabilities"));
        var mappings = Assert.IsType<JsonArray>(portmap["runtimeConfig"]!["portMappings"]);
        Assert.Equal(2, mappings.Count);
        Assert.Equal(8080, (int)mappings[0]!["hostPort"]!);
        Assert.Equal(80, (int)mappings[0]!["containerPort"]!);
        Assert.Equal("tcp", (string?)mappings[0]!["protocol"]);
        Assert.Equal("127.0.0.1", (string?)mappings[0]!["hostIP"]);
        Assert.Null(mappings[1]!["hostIP"]);
        Assert.Null(portmap["runtimeConfig"]!["bandwidth"]);
        Assert.Equal("1.0.0", (string?)portmap["prevResult"]!["cniVersion"]);

        var firewall = CniConfig.PluginRequest(plugins[2]!.AsObject(), "backend", "1.0.0", previous, args);
        Assert.False(firewall.ContainsKey("runtimeConfig"));
    }

    [Fact]
    public void RequestsDoNotAlterTheList()
    {
        var list = Network();
        var before = list.ToJsonString();
        var previous = new JsonObject { ["cniVersion"] = "1.0.0" };
        CniConfig.PluginRequest(Plugins(list)[1]!.AsObject(), "backend", "1.0.0", previous, CniConfig.PortMappingArgs([new PortMapping { HostPort = 1, ContainerPort = 1 }]));
        previous["changed"] = true;
        Assert.Equal(before, list.ToJsonString());
    }

    [Fact]
    public void NoPortsMeansNoCapabilityArguments() => Assert.Null(CniConfig.PortMappingArgs([]));
}
