using System.Management.Automation;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Diagnostics;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Images;
using PSContainer.Engine.Interop;

namespace PSContainer.Commands.System;

/// <summary>Shows the engine's versions, paths, runtime choice, counts and disk use (like <c>docker info</c>).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerEngine")]
[OutputType(typeof(EngineInfo))]
public sealed class GetContainerEngineCommand : EngineCmdlet
{
    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        TryEngine(() =>
        {
            var layout = Engine.Layout;
            var runtime = Engine.Containers.DefaultRuntime;
            var conmon = ProcessRunner.Which("conmon");
            var containers = Engine.Containers.List();
            WriteObject(new EngineInfo
            {
                Version = typeof(GetContainerEngineCommand).Assembly.GetName().Version?.ToString() ?? "",
                Root = layout.Root,
                RunRoot = layout.RunRoot,
                Runtime = runtime.Name,
                RuntimePath = runtime.Path,
                RuntimeVersion = EngineDoctor.FirstLine(runtime.Path, "--version"),
                RuntimeReason = runtime.Reason,
                ConmonPath = conmon,
                ConmonVersion = conmon is null ? "" : EngineDoctor.FirstLine(conmon, "--version"),
                CgroupMode = Engine.Cgroups.Mode,
                Containers = containers.Count,
                ContainersRunning = containers.Count(c => c.State.Status is ContainerStatus.Running),
                Images = Engine.ImageStore.List().Count,
                LayersSize = DiskUsage.Of(layout.LayersDir),
                BlobsSize = DiskUsage.Of(layout.BlobsDir),
                ContainersSize = containers.Sum(c => DiskUsage.Of(Engine.Containers.Store.PathsOf(c.Id).Upper) + DiskUsage.Of(Engine.Containers.Store.PathsOf(c.Id).Log)),
            });
        });
    }
}
