using System.Text.Json.Nodes;
using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

public sealed class ContainerRulesTests
{
    private const string Id = "0123456789ab0000000000000000000000000000000000000000000000000000";

    [Fact]
    public void ForwardsBothWaysAndMasqueradesWhatLeavesTheBridge()
    {
        var rules = ContainerRules.For(Id, "eth0", "10.9.0.2", "psc-br", masquerade: true);
        Assert.Equal(
            "*filter\n" +
            "-I FORWARD -d 10.9.0.2/32 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment pscontainer:0123456789ab:eth0 -j ACCEPT\n" +
            "-I FORWARD -s 10.9.0.2/32 -m comment --comment pscontainer:0123456789ab:eth0 -j ACCEPT\n" +
            "COMMIT\n" +
            "*nat\n" +
            "-A POSTROUTING -s 10.9.0.2/32 ! -o psc-br -m comment --comment pscontainer:0123456789ab:eth0 -j MASQUERADE\n" +
            "COMMIT\n",
            ContainerRules.Script(rules, add: true));
    }

    [Fact]
    public void AnInternalNetworkIsNotMasqueradedAndDeletionMirrorsAddition()
    {
        var rules = ContainerRules.For(Id, "eth1", "10.9.0.2", "psc-br", masquerade: false);
        var script = ContainerRules.Script(rules, add: false);
        Assert.DoesNotContain("nat", script);
        Assert.Equal(2, script.Split('\n').Count(l => l.StartsWith("-D FORWARD ", StringComparison.Ordinal)));
    }

    [Fact]
    public void LeftoversAreTheRulesStillTaggedForThatInterfaceOnly()
    {
        var save = "*filter\n:FORWARD DROP [0:0]\n" +
            "-A FORWARD -s 10.9.0.2/32 -m comment --comment pscontainer:0123456789ab:eth0 -j ACCEPT\n" +
            "-A FORWARD -s 10.9.0.3/32 -m comment --comment pscontainer:0123456789ab:eth1 -j ACCEPT\n" +
            "-A FORWARD -s 10.9.0.4/32 -j ACCEPT\nCOMMIT\n*nat\nCOMMIT\n";
        Assert.Equal(
            "*filter\n-D FORWARD -s 10.9.0.2/32 -m comment --comment pscontainer:0123456789ab:eth0 -j ACCEPT\nCOMMIT\n",
            ContainerRules.LeftoverScript(save, Id, "eth0"));
        Assert.Null(ContainerRules.LeftoverScript("*filter\nCOMMIT\n", Id, "eth0"));
    }

    [Fact]
    public void AnAttachmentRunsTheBridgeWithoutMasqueradingAndPortmapOnlyForPorts()
    {
        var network = CniConfig.BridgeNetwork("app", "id", DateTimeOffset.UnixEpoch, "psc-br", Ipv4Subnet.Parse("10.9.0.0/24"), "10.9.0.1",
            isInternal: false, new Dictionary<string, string>(), "/tmp/ipam");
        var (withoutPorts, masquerade) = CniConfig.ForAttachment(network, publishesPorts: false);
        Assert.True(masquerade);
        Assert.Equal(["bridge"], Types(withoutPorts));
        Assert.False((bool?)withoutPorts["plugins"]![0]!["ipMasq"]);
        var (withPorts, _) = CniConfig.ForAttachment(network, publishesPorts: true);
        Assert.Equal(["bridge", "portmap"], Types(withPorts));
        Assert.Equal(3, ((JsonArray)network["plugins"]!).Count);
    }

    private static List<string?> Types(JsonObject config) =>
        ((JsonArray)config["plugins"]!).Select(p => (string?)p!["type"]).ToList();
}
