using PSContainer.Tests.Registry.Support;

namespace PSContainer.Tests.Registry;

/// <summary>One plain-HTTP docker-registry for the whole test class.</summary>
public sealed class PlainRegistryFixture : IDisposable
{
    internal DistributionRegistry Server { get; } = DistributionRegistry.Start();

    public void Dispose() => Server.Dispose();
}
