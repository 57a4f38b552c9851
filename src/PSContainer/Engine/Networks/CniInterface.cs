namespace PSContainer.Engine.Networks;

/// <summary>An interface a CNI result lists; <see cref="Sandbox"/> is set for the ones inside the container.</summary>
internal sealed record CniInterface(string Name, string? Mac, string? Sandbox);
