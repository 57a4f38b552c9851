using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

public sealed class EtcFilesTests
{
    [Fact]
    public void HostsListsOwnNamesThenPeersEachNameOnce()
    {
        var text = EtcFiles.Hosts(
            [new HostsEntry("10.1.0.2", ["abc123", "web", "www"])],
            [new HostsEntry("10.1.0.3", ["db", "database"]), new HostsEntry("10.1.0.4", ["web", "cache"]), new HostsEntry("10.1.0.5", ["WWW"])]);
        Assert.Equal(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.1.0.2\tabc123 web www\n10.1.0.3\tdb database\n10.1.0.4\tcache\n",
            text);
    }

    [Fact]
    public void LoopbackHostsNamesTheHostnameOnLoopback() =>
        Assert.Equal("127.0.0.1\tlocalhost box\n::1\tlocalhost ip6-localhost ip6-loopback\n", EtcFiles.LoopbackHosts("box"));

    [Fact]
    public void ResolvConfViaTheNetworkDnsServerKeepsSearchAndOptions()
    {
        var text = EtcFiles.ResolvConfVia(["10.9.0.1"], "# generated\nnameserver 10.255.255.53\nsearch example.test\noptions ndots:2\n");
        Assert.Equal("# generated\nsearch example.test\noptions ndots:2\nnameserver 10.9.0.1\n", text);
    }

    [Fact]
    public void ResolvConfDropsLoopbackNameservers()
    {
        var text = EtcFiles.ResolvConf("# generated\nnameserver 127.0.0.1\nnameserver 10.255.255.53\nnameserver ::1\nsearch example.test\noptions ndots:2\n", null);
        Assert.Equal("# generated\nnameserver 10.255.255.53\nsearch example.test\noptions ndots:2\n", text);
    }

    [Fact]
    public void ResolvConfFollowsSystemdResolvedToTheRealServers()
    {
        var text = EtcFiles.ResolvConf("nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n", "nameserver 192.0.2.53\nsearch lan\n");
        Assert.Equal("nameserver 192.0.2.53\nsearch lan\n", text);
    }

    [Fact]
    public void ResolvConfFallsBackToPublicServersWhenNoneIsLeft()
    {
        Assert.Equal("search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n", EtcFiles.ResolvConf("nameserver 127.0.0.1\nsearch lan\n", null));
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", EtcFiles.ResolvConf("", null));
    }
}
