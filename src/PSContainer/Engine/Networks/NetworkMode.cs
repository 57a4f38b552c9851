namespace PSContainer.Engine.Networks;

/// <summary>
/// A container's -Network value: "bridge" (the default network), "none", "host", "container:&lt;name or id&gt;",
/// or the name of a user network. <see cref="Name"/> is the network or the container it names.
/// </summary>
internal readonly record struct NetworkMode(NetworkModeKind Kind, string Name)
{
    /// <summary>The prefix of the container mode.</summary>
    public const string ContainerPrefix = "container:";

    /// <summary>Parses a -Network value; null or empty means the default network.</summary>
    public static NetworkMode Parse(string? value)
    {
        switch (value)
        {
            case null or "" or NetworkManager.DefaultNetwork or "default":
                return new(NetworkModeKind.Network, NetworkManager.DefaultNetwork);
            case "none":
                return new(NetworkModeKind.None, "");
            case "host":
                return new(NetworkModeKind.Host, "");
        }
        if (value.StartsWith(ContainerPrefix, StringComparison.Ordinal))
        {
            var target = value[ContainerPrefix.Length..];
            if (target.Length == 0)
                throw new EngineException("InvalidNetworkMode", EngineErrorKind.InvalidArgument, "-Network container: needs a container name or id, such as container:web.", value);
            return new(NetworkModeKind.Container, target);
        }
        NetworkNames.Validate(value);
        return new(NetworkModeKind.Network, value);
    }

    /// <summary>Whether this is a user network (name resolution between containers is offered there only, as in Docker).</summary>
    public bool IsUserNetwork => Kind == NetworkModeKind.Network && Name != NetworkManager.DefaultNetwork;

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        NetworkModeKind.None => "none",
        NetworkModeKind.Host => "host",
        NetworkModeKind.Container => ContainerPrefix + Name,
        _ => Name,
    };
}
