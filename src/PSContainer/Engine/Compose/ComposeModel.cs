namespace PSContainer.Engine.Compose;

/// <summary>
/// A compose application after loading: the files merged in order, interpolated and normalized (what
/// <c>docker compose config</c> prints). Paths are absolute; list-or-map keys are maps.
/// </summary>
public sealed class ComposeModel
{
    /// <summary>The project name, normalized as Compose does.</summary>
    public string Name { get; set; } = "";

    /// <summary>The project directory: where relative paths start (the first file's directory unless given).</summary>
    public string WorkingDirectory { get; set; } = "";

    /// <summary>The compose files, in merge order.</summary>
    public List<string> ConfigFiles { get; set; } = new();

    /// <summary>The services that are active with the chosen profiles, in file order.</summary>
    public List<ComposeService> Services { get; set; } = new();

    /// <summary>Services left out because none of their profiles is active.</summary>
    public List<string> DisabledServices { get; set; } = new();

    /// <summary>The top-level networks, the implicit <c>default</c> included when a service uses it.</summary>
    public List<ComposeNetwork> Networks { get; set; } = new();

    /// <summary>The top-level named volumes.</summary>
    public List<ComposeVolume> Volumes { get; set; } = new();

    /// <summary>Keys of the file that are valid Compose but that this engine cannot honour yet (such as <c>services.web.logging</c>).</summary>
    public List<string> UnsupportedKeys { get; set; } = new();

    /// <summary>Remarks that change nothing (an obsolete <c>version</c> key).</summary>
    public List<string> Warnings { get; set; } = new();

    /// <summary>One service by name, or null.</summary>
    public ComposeService? Service(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
