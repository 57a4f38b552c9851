using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Compose;

namespace PSContainer.Commands.Compose;

/// <summary>
/// Takes a compose project down (like <c>docker compose down</c>): stops and removes its containers and
/// networks; -Volumes also removes its volumes, -Images the images its services used.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ComposeProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveComposeProjectCommand : ComposeProjectCmdlet
{
    /// <summary>Also remove the project's named volumes and its containers' anonymous volumes.</summary>
    [Parameter]
    public SwitchParameter Volumes { get; set; }

    /// <summary>Also remove the images the project's containers used (those no other container uses).</summary>
    [Parameter]
    public SwitchParameter Images { get; set; }

    /// <summary>Also remove containers of services that are no longer in the files.</summary>
    [Parameter]
    public SwitchParameter RemoveOrphans { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        try
        {
            var (name, model) = Target();
            if (!ShouldProcess(name, "Remove compose project" + (Volumes ? " with its volumes" : ""))) return;
            Runner(name).Down(name, model, new ComposeDownOptions { Volumes = Volumes, Images = Images, RemoveOrphans = RemoveOrphans });
            CompleteProgress();
        }
        catch (EngineException ex)
        {
            CompleteProgress();
            WriteError(ToErrorRecord(ex, Name));
        }
    }
}
