using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

public sealed class AardvarkConfigTests
{
    private const string IdA = "aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111";
    private const string IdB = "bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222";

    private static NetworkPeer Peer(string id, string name, params NetworkEndpoint[] endpoints) => new(id, name, id[..12], endpoints);

    private static NetworkEndpoint On(string network, string ip, params string[] aliases) =>
        new() { Network = network, IPAddress = ip, Aliases = aliases.ToList() };

    [Fact]
    public void ListsTheGatewayThenEachContainerOnTheNetworkByName()
    {
        var text = AardvarkConfig.For("app", ["10.9.0.1"], [], [
            Peer(IdB, "web", On("app", "10.9.0.3", "www", "Frontend")),
            Peer(IdA, "db", On("app", "10.9.0.2"), On("other", "10.8.0.2", "elsewhere")),
        ]);
        Assert.Equal(
            "10.9.0.1\n" +
            $"{IdA} 10.9.0.2  db,aaaaaaaaaaaa\n" +
            $"{IdB} 10.9.0.3  web,www,frontend,bbbbbbbbbbbb\n",
            text);
    }

    [Fact]
    public void NamesTheNetworksOwnDnsServersAfterTheGateway()
    {
        var text = AardvarkConfig.For("app", ["10.9.0.1"], ["127.0.0.1", "192.0.2.53"], [Peer(IdA, "db", On("app", "10.9.0.2"))]);
        Assert.StartsWith("10.9.0.1 127.0.0.1,192.0.2.53\n", text);
    }

    [Fact]
    public void PutsIPv6AddressesInTheirOwnColumn()
    {
        var text = AardvarkConfig.For("app", ["10.9.0.1", "fd00::1"], [], [Peer(IdA, "db", On("app", "10.9.0.2"), On("app", "fd00::2"))]);
        Assert.Equal($"10.9.0.1,fd00::1\n{IdA} 10.9.0.2 fd00::2 db,aaaaaaaaaaaa\n", text);
    }

    [Fact]
    public void IsNullWhenNoContainerIsOnTheNetwork() =>
        Assert.Null(AardvarkConfig.For("app", ["10.9.0.1"], [], [Peer(IdA, "db", On("other", "10.8.0.2"))]));
}
