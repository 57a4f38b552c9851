using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Writes a container's output as it happens: stdout to the pipeline, stderr to the error stream.</summary>
internal static class LogStreaming
{
    /// <summary>Follows the log from its start until the container stops.</summary>
    public static void Stream(Cmdlet cmdlet, ContainerEngine engine, ContainerRecord container, CancellationToken cancel)
    {
        var paths = engine.Containers.Store.PathsOf(container.Id);
        foreach (var entry in ContainerLog.Read(paths.Log, follow: true, () => engine.Containers.IsRunning(container.Id), cancel))
            Write(cmdlet, entry, container.Name);
    }

    /// <summary>Writes one entry to the stream it belongs to.</summary>
    public static void Write(Cmdlet cmdlet, ContainerLogEntry entry, string containerName)
    {
        if (entry.IsError)
            cmdlet.WriteError(new ErrorRecord(new RemoteException(entry.Text), "ContainerStandardError", ErrorCategory.FromStdErr, containerName));
        else
            cmdlet.WriteObject(entry.Text);
    }
}
