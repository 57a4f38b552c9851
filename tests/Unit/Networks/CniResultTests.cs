using System.Text.Json.Nodes;
using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

public sealed class CniResultTests
{
    // What the Debian bridge plugin printed for an ADD.
    private const string BridgeResult = """
        {
            "cniVersion": "1.0.0",
            "interfaces": [
                { "name": "psctst213", "mac": "7a:15:1c:b0:a8:cd" },
                { "name": "vethd40334b0", "mac": "b6:27:38:76:5a:b5" },
                { "name": "eth0", "mac": "26:50:5b:4a:a4:1f", "sandbox": "/run/netns/psc-proto1" }
            ],
            "ips": [ { "interface": 2, "address": "10.213.77.2/24", "gateway": "10.213.77.1" } ],
            "routes": [ { "dst": "0.0.0.0/0" } ],
            "dns": {}
        }
        """;

    [Fact]
    public void ReadsInterfacesAndTheContainerAddress()
    {
        var result = CniResult.Parse(JsonNode.Parse(BridgeResult)!.AsObject());
        Assert.Equal(3, result.Interfaces.Count);
        var address = Assert.IsType<CniIpConfig>(result.Address("eth0"));
        Assert.Equal(("10.213.77.2", 24, "10.213.77.1"), (address.Ip, address.PrefixLength, address.Gateway));
        Assert.Equal("26:50:5b:4a:a4:1f", result.ContainerInterface("eth0")?.Mac);
        Assert.Null(result.ContainerInterface("psctst213"));
    }

    [Fact]
    public void PicksTheAddressOfTheRequestedInterface()
    {
        var result = CniResult.Parse(JsonNode.Parse("""
            {"cniVersion":"1.0.0",
             "interfaces":[{"name":"eth0","sandbox":"/x"},{"name":"eth1","sandbox":"/x"}],
             "ips":[{"interface":0,"address":"fd00::5/64"},{"interface":0,"address":"10.0.0.5/24"},{"interface":1,"address":"10.1.0.5/24"}]}
            """)!.AsObject());
        Assert.Equal("10.0.0.5", result.Address("eth0")?.Ip);
        Assert.Equal("10.1.0.5", result.Address("eth1")?.Ip);
    }

    [Fact]
    public void ReadsOlderResultsWithoutInterfaceIndexes()
    {
        var result = CniResult.Parse(JsonNode.Parse("""
            {"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.88.0.7/16","gateway":"10.88.0.1"}]}
            """)!.AsObject());
        Assert.Empty(result.Interfaces);
        Assert.Equal("10.88.0.7", result.Address("eth0")?.Ip);
        Assert.Null(result.ContainerInterface("eth0"));
    }

    [Fact]
    public void AnEmptyResultHasNoAddress() =>
        Assert.Null(CniResult.Parse(new JsonObject { ["cniVersion"] = "1.0.0" }).Address("eth0"));
}
