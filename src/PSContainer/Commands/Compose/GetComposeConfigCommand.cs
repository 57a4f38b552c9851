using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>
/// Shows a compose project as PSContainer reads it (like <c>docker compose config</c>): the files merged,
/// interpolated and normalized, as objects or as YAML. Keys the engine cannot honour yet are reported as warnings.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ComposeConfig")]
[OutputType(typeof(ComposeModel), typeof(string))]
public sealed class GetComposeConfigCommand : ComposeCmdlet
{
    /// <summary>Compose files (merged in order) or a directory; the default is the compose file of the current directory or its parents.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>The project name; the default is the file's name: key, or the directory's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProjectName { get; set; }

    /// <summary>Write the model as a compose file.</summary>
    [Parameter]
    public SwitchParameter AsYaml { get; set; }

    /// <summary>Write only the service names.</summary>
    [Parameter]
    public SwitchParameter ServiceName { get; set; }

    /// <summary>Write each service's configuration hash (the com.docker.compose.config-hash label), by service name.</summary>
    [Parameter]
    public SwitchParameter Hash { get; set; }

    /// <summary>Loading needs no engine: the configuration can be checked without root.</summary>
    protected override void BeginProcessing() { }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        try
        {
            var model = Load(Path, ProjectName);
            foreach (var key in model.UnsupportedKeys)
                WriteWarning($"{key} is not supported by PSContainer yet; Start-ComposeProject refuses it.");
            if (ServiceName) WriteObject(model.Services.Select(s => s.Name), enumerateCollection: true);
            else if (Hash) WriteObject(model.Services.Select(HashOf), enumerateCollection: true);
            else if (AsYaml) WriteObject(ComposeYamlWriter.Write(model));
            else WriteObject(model);
        }
        catch (EngineException ex)
        {
            ThrowEngine(ex);
        }
    }

    private static PSObject HashOf(ComposeService service)
    {
        var result = new PSObject();
        result.Properties.Add(new PSNoteProperty("Service", service.Name));
        result.Properties.Add(new PSNoteProperty("Hash", ConfigHash.Of(service)));
        return result;
    }
}
