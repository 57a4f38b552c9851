using PSContainer.Engine.Images;
using PSContainer.Engine.Networks;
using PSContainer.Engine.Volumes;

namespace PSContainer.Engine.Containers;

/// <summary>
/// What containers use of images, volumes and networks, read from the raw container records (no refresh, no
/// network repair): a container's image, layers and mounts are fixed when it is created, its networks change
/// only under the store lock.
/// </summary>
internal sealed class ContainerUsage : IImageUsers, IVolumeUsers, INetworkUsers
{
    private readonly ContainerStore _store;

    public ContainerUsage(ContainerStore store) => _store = store;

    /// <inheritdoc/>
    public IReadOnlyList<string> ContainersUsing(string imageId) =>
        _store.List().Where(c => c.ImageId == imageId).Select(c => c.Name).ToList();

    /// <inheritdoc/>
    public IEnumerable<string> LayersInUse() => _store.List().SelectMany(c => c.Layers);

    /// <inheritdoc/>
    public Dictionary<string, List<string>> ByVolume(string? exceptId = null)
    {
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var container in _store.List().Where(c => c.Id != exceptId))
        {
            foreach (var mount in container.Settings.Mounts)
            {
                if (mount is not { Type: MountType.Volume, Source: { } name }) continue;
                if (!users.TryGetValue(name, out var names)) users[name] = names = [];
                if (!names.Contains(container.Name)) names.Add(container.Name);
            }
        }
        return users;
    }

    /// <inheritdoc/>
    public Dictionary<string, List<string>> ByNetwork()
    {
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var container in _store.List())
        {
            foreach (var network in container.Network.Endpoints.Select(e => e.Network).Distinct(StringComparer.Ordinal))
            {
                if (!members.TryGetValue(network, out var names)) members[network] = names = [];
                names.Add(container.Name);
            }
        }
        return members;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Using(string network) =>
        _store.List().Where(c => c.Settings.Network == network || c.Network.Endpoints.Any(e => e.Network == network)).Select(c => c.Name).ToList();
}
