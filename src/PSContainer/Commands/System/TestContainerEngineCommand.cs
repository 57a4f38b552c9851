using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Diagnostics;

namespace PSContainer.Commands.System;

/// <summary>Checks the host's prerequisites (root, overlayfs, conmon, cgroups, OCI runtime) and says what to fix.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ContainerEngine")]
[OutputType(typeof(EngineCheck), typeof(bool))]
public sealed class TestContainerEngineCommand : PSCmdlet
{
    /// <summary>Write only $true when every check passes, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var checks = EngineDoctor.Run(EngineOptions.FromEnvironment());
        if (Quiet)
            WriteObject(checks.All(c => c.Passed));
        else
            WriteObject(checks, enumerateCollection: true);
    }
}
