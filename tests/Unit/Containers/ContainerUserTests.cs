using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Tests.Support;

namespace PSContainer.Tests.Containers;

public sealed class ContainerUserTests : IDisposable
{
    private const string Passwd =
        "# users\n" +
        "root:x:0:0:root:/root:/bin/sh\n" +
        "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" +
        "app:x:1000:1000:App:/home/app:/bin/sh\n" +
        "odd:x:1001:notanumber::/:/bin/sh\n" +
        "broken:x:abc:1::/:/bin/sh\n" +
        "\n";

    private const string Group =
        "root:x:0:\n" +
        "daemon:x:1:\n" +
        "wheel:x:10:root,app\n" +
        "audio:x:29:app\n" +
        "staff:x:50:other\n" +
        "app:x:1000:app\n" +
        "weird:x:nan:app\n";

    private readonly ScratchDir _dir = new("pscontainer-user-");
    private readonly ScratchDir _host = new("pscontainer-userhost-");

    public ContainerUserTests()
    {
        _dir.Write("rootfs/etc/passwd", Passwd);
        _dir.Write("rootfs/etc/group", Group);
    }

    public void Dispose()
    {
        _dir.Dispose();
        _host.Dispose();
    }

    private string Rootfs => _dir["rootfs"];

    /// <summary>"uid:gid:extra,extra" so whole results compare by value.</summary>
    private static string Tuple(ContainerUser.Ids ids) => $"{ids.Uid}:{ids.Gid}:{string.Join(",", ids.AdditionalGids)}";

    private static string Ids(uint uid, uint gid, params uint[] extra) => $"{uid}:{gid}:{string.Join(",", extra)}";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("root")]
    public void RootByDefault(string? user) => Assert.Equal(Ids(0u, 0u, 10), Tuple(ContainerUser.Resolve(Rootfs, user)));

    [Fact]
    public void UserNameGivesPrimaryAndSupplementaryGroups() =>
        Assert.Equal(Ids(1000u, 1000u, 10, 29), Tuple(ContainerUser.Resolve(Rootfs, "app")));

    [Fact]
    public void NumericUidInPasswdResolvesLikeTheName() =>
        Assert.Equal(Ids(1000u, 1000u, 10, 29), Tuple(ContainerUser.Resolve(Rootfs, "1000")));

    [Fact]
    public void NumericUidNotInPasswdRunsWithGroupZero() =>
        Assert.Equal(Ids(4242u, 0u), Tuple(ContainerUser.Resolve(Rootfs, "4242")));

    [Theory]
    [InlineData("app:staff", 1000u, 50u)]
    [InlineData("app:50", 1000u, 50u)]
    [InlineData("1000:audio", 1000u, 29u)]
    [InlineData("0:10", 0u, 10u)]
    [InlineData("4242:4343", 4242u, 4343u)]
    [InlineData("daemon:daemon", 1u, 1u)]
    public void ExplicitGroupReplacesPrimaryAndDropsSupplementary(string user, uint uid, uint gid) =>
        Assert.Equal(Ids(uid, gid), Tuple(ContainerUser.Resolve(Rootfs, user)));

    [Fact]
    public void MissingUserName()
    {
        var ex = Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "nobody"));
        Assert.Equal("UserNotFound", ex.ErrorId);
        Assert.Equal(EngineErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void MissingGroupName() =>
        Assert.Equal("GroupNotFound", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "app:nogroup")).ErrorId);

    [Fact]
    public void UserWithNonNumericUid() =>
        Assert.Equal("InvalidUser", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "broken")).ErrorId);

    [Fact]
    public void UserWithNonNumericGidFallsBackToGroupZero() =>
        Assert.Equal(Ids(1001u, 0u), Tuple(ContainerUser.Resolve(Rootfs, "odd")));

    [Fact]
    public void NoPasswdFile()
    {
        File.Delete(Path.Combine(Rootfs, "etc/passwd"));
        Assert.Equal(Ids(1000u, 0u), Tuple(ContainerUser.Resolve(Rootfs, "1000")));
        Assert.Equal("UserNotFound", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "app")).ErrorId);
    }

    [Fact]
    public void EmptyRootfs()
    {
        var empty = _dir.Dir("empty");
        Assert.Equal(Ids(0u, 0u), Tuple(ContainerUser.Resolve(empty, null)));
        Assert.Equal(Ids(5u, 6u), Tuple(ContainerUser.Resolve(empty, "5:6")));
    }

    [Fact]
    public void PasswdSymlinkedToAHostFileIsNotRead()
    {
        var hostPasswd = _host.Write("passwd", "evil:x:777:777::/:/bin/sh\napp:x:2000:2000::/:/bin/sh\n");
        File.Delete(Path.Combine(Rootfs, "etc/passwd"));
        File.CreateSymbolicLink(Path.Combine(Rootfs, "etc/passwd"), hostPasswd);
        Assert.Equal("UserNotFound", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "evil")).ErrorId);
        Assert.Equal("UserNotFound", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "app")).ErrorId);
        Assert.Equal(Ids(777u, 0u), Tuple(ContainerUser.Resolve(Rootfs, "777")));
    }

    [Fact]
    public void RelativePasswdSymlinkInsideTheRootfsIsNotFollowedEither()
    {
        File.Move(Path.Combine(Rootfs, "etc/passwd"), Path.Combine(Rootfs, "etc/passwd.real"));
        File.CreateSymbolicLink(Path.Combine(Rootfs, "etc/passwd"), "passwd.real");
        Assert.Equal("UserNotFound", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "app")).ErrorId);
    }

    [Fact]
    public void EtcSymlinkedToAHostDirectoryIsNotRead()
    {
        _host.Write("etc/passwd", "evil:x:777:777::/:/bin/sh\n");
        _host.Write("etc/group", "evilgroup:x:888:\n");
        Directory.Delete(Path.Combine(Rootfs, "etc"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(Rootfs, "etc"), _host["etc"]);
        Assert.Equal("UserNotFound", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "evil")).ErrorId);
        Assert.Equal("GroupNotFound", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "0:evilgroup")).ErrorId);
    }

    [Fact]
    public void GroupSymlinkedToAHostFileIsNotRead()
    {
        var hostGroup = _host.Write("group", "evilgroup:x:888:app\n");
        File.Delete(Path.Combine(Rootfs, "etc/group"));
        File.CreateSymbolicLink(Path.Combine(Rootfs, "etc/group"), hostGroup);
        Assert.Equal("GroupNotFound", Assert.Throws<EngineException>(() => ContainerUser.Resolve(Rootfs, "app:evilgroup")).ErrorId);
        // The passwd file is still read; only the group table is ignored.
        Assert.Equal(Ids(1000u, 1000u), Tuple(ContainerUser.Resolve(Rootfs, "app")));
    }
}
