using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Containers;

/// <summary>What New-Container asks for.</summary>
internal sealed class CreateContainerRequest
{
    public string Image { get; set; } = "";
    public string? Name { get; set; }
    public ContainerSettings Settings { get; set; } = new();

    /// <summary>The process whose scope the container lives in; null for a container that lives until removed.</summary>
    public ProcessIdentity? Owner { get; set; }
}
