using PSContainer.Engine.Containers;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Containers;

public sealed class ProcNetSocketsTests : IDisposable
{
    private const string Header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    private const string Header6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    private readonly ScratchDir _dir = new("pscontainer-procnet-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadsListeningTcpSocketsWithAddressPortAndInode()
    {
        var table = Header +
            "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0\n" +
            "   1: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41235 1 0000000000000000 100 0 0 10 0\n";
        var sockets = ProcNetSockets.Parse(table, "tcp").ToList();
        Assert.Equal(2, sockets.Count);
        Assert.Equal(("tcp", "0.0.0.0", 8080, 41234L), (sockets[0].Protocol, sockets[0].Address, sockets[0].Port, sockets[0].Inode));
        Assert.Equal(("127.0.0.1", 3306), (sockets[1].Address, sockets[1].Port));
    }

    [Fact]
    public void LeavesOutConnectionsAndOtherStates()
    {
        var table = Header +
            // ESTABLISHED (01), TIME_WAIT (06): a client's or a finished connection, nobody waiting.
            "   0: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 5001 1 0 20 4 30 10 -1\n" +
            "   1: 0100007F:D2F2 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0\n";
        Assert.Empty(ProcNetSockets.Parse(table, "tcp"));
    }

    [Fact]
    public void ReadsIpv6AddressesWordByWord()
    {
        var table = Header6 +
            "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7001 1 0 100 0 0 10 0\n" +
            "   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7002 1 0 100 0 0 10 0\n";
        var sockets = ProcNetSockets.Parse(table, "tcp").ToList();
        Assert.Equal(("::", 80), (sockets[0].Address, sockets[0].Port));
        Assert.Equal(("::1", 8081), (sockets[1].Address, sockets[1].Port));
    }

    [Fact]
    public void CountsBoundUnconnectedUdpSocketsButNotConnectedOnes()
    {
        var table = Header +
            "  10: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 9001 2 0 0\n" +
            // A DNS client's socket, connected to its server's port 53.
            "  11: 0A000002:A1B2 0A000001:0035 07 00000000:00000000 00:00000000 00000000     0        0 9002 2 0 0\n" +
            "  12: 0A000002:A1B3 0A000001:0035 01 00000000:00000000 00:00000000 00000000     0        0 9003 2 0 0\n";
        var sockets = ProcNetSockets.Parse(table, "udp").ToList();
        Assert.Equal(("udp", "0.0.0.0", 53), Assert.Single(sockets) is var s ? (s.Protocol, s.Address, s.Port) : default);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("   0: 00000000:ZZZZ 00000000:0000 0A 0 0 0 0 0 1 1")]
    [InlineData("   0: 000000:1F90 00000000:0000 0A 0 0 0 0 0 1 1")]
    public void SkipsLinesItCannotRead(string line)
    {
        Assert.Empty(ProcNetSockets.Parse(Header + line + "\n", "tcp"));
    }

    [Fact]
    public void ReadsTheTablesOfAProcessAndSkipsThoseThatAreMissing()
    {
        _dir.Write("proc/42/net/tcp", Header + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11 1 0 100 0 0 10 0\n");
        _dir.Write("proc/42/net/udp", Header);
        // No tcp6, no udp6: a kernel without IPv6.
        var sockets = ProcNetSockets.Read(_dir["proc"], 42);
        Assert.Equal(8080, Assert.Single(sockets).Port);
        Assert.Empty(ProcNetSockets.Read(_dir["proc"], 43));
    }

    [Fact]
    public void FindsTheProcessThatHoldsASocketByItsInode()
    {
        _dir.Dir("proc/7/fd");
        File.CreateSymbolicLink(_dir["proc/7/fd/3"], "socket:[11]");
        File.CreateSymbolicLink(_dir["proc/7/fd/4"], "/dev/null");
        File.CreateSymbolicLink(_dir["proc/7/fd/5"], "pipe:[12]");
        var owners = ProcNetSockets.Owners(_dir["proc"], [7, 8]);
        Assert.Equal(7, Assert.Single(owners, o => o.Key == 11).Value);
        Assert.Single(owners);
    }

    [Fact]
    public void DescribesWhatListensForMessages()
    {
        Assert.Equal("nothing listens on TCP", ContainerWaiter.DescribePorts([]));
        Assert.Equal("listening: 22/tcp, 8080/tcp", ContainerWaiter.DescribePorts([
            new ListeningSocket { Port = 8080, Protocol = "tcp" }, new ListeningSocket { Port = 22, Protocol = "tcp" }, new ListeningSocket { Port = 8080, Protocol = "tcp", Address = "::" }]));
    }
}
