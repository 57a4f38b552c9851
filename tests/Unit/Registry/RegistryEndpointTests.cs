using PSContainer.Engine.Registry;

namespace PSContainer.Tests.Registry;

public class RegistryEndpointTests
{
    [Theory]
    [InlineData("localhost", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.com", false)]
    [InlineData("10.0.0.1:5000", false)]
    [InlineData("[fe80::1]:5000", false)]
    public void PlainHttpOnlyForLoopback(string registry, bool allowed) =>
        Assert.Equal(allowed, RegistryEndpoint.AllowsPlainHttp(registry, new HashSet<string>()));

    [Fact]
    public void PlainHttpForRegistriesMarkedInsecure() =>
        Assert.True(RegistryEndpoint.AllowsPlainHttp("registry.internal:5000", new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Registry.Internal:5000" }));
}
