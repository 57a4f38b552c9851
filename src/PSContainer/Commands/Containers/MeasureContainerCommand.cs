using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Measures running containers' resource use (like <c>docker stats</c>): CPU percent, memory use and limit,
/// processes, block I/O — once, or every second with -Stream until Ctrl+C or until they stop.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Container", DefaultParameterSetName = "ByName")]
[OutputType(typeof(ContainerStats))]
public sealed class MeasureContainerCommand : ContainerCmdlet
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly List<ContainerRecord> _targets = new();

    /// <summary>Keep measuring every second until Ctrl+C or until every container stopped.</summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    /// <summary>Collects the containers; they are measured together once all have arrived.</summary>
    protected override void ProcessRecord()
    {
        foreach (var target in Targets())
        {
            if (target.State.Status is ContainerStatus.Running or ContainerStatus.Paused)
                _targets.Add(target);
            else
                WriteError(ToErrorRecord(new EngineException("ContainerNotRunning", EngineErrorKind.InvalidState,
                    $"Container {target.Name} is not running.", target.Name), target.Name));
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var sampler = Engine.StatsSampler();
        // CPU percent needs a first reading to compare with.
        var live = _targets.Where(t => sampler.Sample(t) is not null).ToList();
        while (live.Count > 0)
        {
            if (CancelToken.WaitHandle.WaitOne(Interval)) throw new PipelineStoppedException();
            foreach (var target in live.ToList())
            {
                if (sampler.Sample(target) is { } stats && Engine.Containers.IsRunning(target.Id))
                    WriteObject(stats);
                else
                    live.Remove(target);
            }
            if (!Stream) break;
        }
    }
}
