using System.Management.Automation;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Changes containers' restart policy and resource limits (like <c>docker update</c>). A running container gets
/// the new limits at once; later starts keep them.
/// </summary>
[Cmdlet(VerbsCommon.Set, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerInfo))]
public sealed class SetContainerCommand : ContainerCmdlet
{
    /// <summary>Docker's restart policy: "no", "on-failure[:N]", "always" or "unless-stopped".</summary>
    [Parameter]
    [Alias("Restart")]
    [ArgumentCompleter(typeof(Completers.RestartPolicyCompleter))]
    [ValidateNotNullOrEmpty]
    public string? RestartPolicy { get; set; }

    /// <summary>Memory limit in bytes; PowerShell's 512MB works.</summary>
    [Parameter]
    public long? Memory { get; set; }

    /// <summary>Memory plus swap in bytes (-1: unlimited swap).</summary>
    [Parameter]
    public long? MemorySwap { get; set; }

    /// <summary>CPU limit in CPUs, such as 0.5.</summary>
    [Parameter]
    public double? Cpus { get; set; }

    /// <summary>Maximum number of processes (-1: unlimited).</summary>
    [Parameter]
    public long? PidsLimit { get; set; }

    /// <summary>Write the changed container.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var update = new ContainerUpdate { RestartPolicy = RestartPolicy, Memory = Memory, MemorySwap = MemorySwap, Cpus = Cpus, PidsLimit = PidsLimit };
        foreach (var target in Targets())
        {
            if (!ShouldProcess(target.Name, "Update container")) continue;
            TryEngine(() =>
            {
                var record = Engine.Containers.Update(target.Id, update);
                if (PassThru) WriteObject(ContainerInfo.From(record));
            }, target.Name);
        }
    }
}
