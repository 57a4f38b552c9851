using PSContainer.Engine;
using PSContainer.Engine.Networks;

namespace PSContainer.Tests.Networks;

public sealed class NetworkModeTests
{
    [Theory]
    [InlineData(null, NetworkModeKind.Network, "bridge", "bridge", false)]
    [InlineData("", NetworkModeKind.Network, "bridge", "bridge", false)]
    [InlineData("default", NetworkModeKind.Network, "bridge", "bridge", false)]
    [InlineData("bridge", NetworkModeKind.Network, "bridge", "bridge", false)]
    [InlineData("backend", NetworkModeKind.Network, "backend", "backend", true)]
    [InlineData("none", NetworkModeKind.None, "", "none", false)]
    [InlineData("host", NetworkModeKind.Host, "", "host", false)]
    [InlineData("container:web", NetworkModeKind.Container, "web", "container:web", false)]
    internal void ParsesModes(string? value, NetworkModeKind kind, string name, string text, bool user)
    {
        var mode = NetworkMode.Parse(value);
        Assert.Equal((kind, name, text, user), (mode.Kind, mode.Name, mode.ToString(), mode.IsUserNetwork));
    }

    [Theory]
    [InlineData("container:")]
    [InlineData("bad name")]
    [InlineData("-dash")]
    public void RejectsBadModes(string value) =>
        Assert.Equal(EngineErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => NetworkMode.Parse(value)).Kind);
}
