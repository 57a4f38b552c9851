namespace PSContainer.Engine.Containers;

/// <summary>What New-Container asks for.</summary>
internal sealed class CreateContainerRequest
{
    public string Image { get; set; } = "";
    public string? Name { get; set; }
    public ContainerSettings Settings { get; set; } = new();
}
