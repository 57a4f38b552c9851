using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Diagnostics;

namespace PSContainer.Commands.System;

/// <summary>Checks the host's prerequisites (root, overlayfs, conmon, cgroups, OCI runtime) and says what to fix.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ContainerEngine")]
[OutputType(typeof(EngineCheck), typeof(bool))]
public sealed class TestContainerEngineCommand : PSCmdlet
{
    /// <summary>Write only $true when every required check passes, else $false (the boot unit is optional).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var checks = EngineDoctor.Run(EngineOptions.FromEnvironment());
        if (Quiet)
            WriteObject(checks.Where(c => c.Required).All(c => c.Passed));
        else
            WriteObject(checks, enumerateCollection: true);
    }
}
