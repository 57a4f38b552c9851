using PSContainer.Engine.Interop;
using PSContainer.Engine.Networks;

namespace PSContainer.Engine.Containers;

/// <summary>A container as the store keeps it in <c>containers/&lt;id&gt;/container.json</c>.</summary>
internal sealed class ContainerRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ImageId { get; set; } = "";

    /// <summary>The image reference the user gave, in familiar form.</summary>
    public string ImageName { get; set; } = "";

    public DateTimeOffset Created { get; set; }

    /// <summary>Entrypoint plus command, resolved against the image when the container was created.</summary>
    public List<string> Command { get; set; } = new();

    /// <summary>ChainIDs of the image layers, base first: the overlay lower directories.</summary>
    public List<string> Layers { get; set; } = new();

    public ContainerSettings Settings { get; set; } = new();
    public ContainerState State { get; set; } = new();

    /// <summary>The networks it is on and what its current run was given.</summary>
    public Networks.ContainerNetwork Network { get; set; } = new();

    /// <summary>The health of its current run, read from its own file (probes never rewrite the record).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public HealthState? Health { get; set; }

    /// <summary>
    /// The process whose scope the container lives in (Use-Container); once that process has ended, the next
    /// listing removes the container. Null for containers that live until removed.
    /// </summary>
    public ProcessIdentity? Owner { get; set; }
}
