using System.Management.Automation;
using PSContainer.Engine;
using PSContainer.Engine.Containers;

namespace PSContainer.Commands.Containers;

/// <summary>Writes a container's output as it happens: stdout to the pipeline, stderr to the error stream as a native command's.</summary>
internal static class LogStreaming
{
    /// <summary>Follows the log from its start until the container stops.</summary>
    public static void Stream(PSCmdlet cmdlet, ContainerEngine engine, ContainerRecord container, CancellationToken cancel)
    {
        var paths = engine.Containers.Store.PathsOf(container.Id);
        foreach (var entry in ContainerLog.Read(paths.Log, follow: true, () => engine.Containers.IsRunning(container.Id), cancel))
            Write(cmdlet, entry, container.Name);
    }

    /// <summary>Follows the log's stdout byte for byte, passing each chunk to <paramref name="stdout"/>; stderr lines go to the error stream.</summary>
    public static void StreamBytes(PSCmdlet cmdlet, ContainerEngine engine, ContainerRecord container, Action<byte[]> stdout, CancellationToken cancel)
    {
        var paths = engine.Containers.Store.PathsOf(container.Id);
        foreach (var record in ContainerLog.ReadRecords(paths.Log, follow: true, () => engine.Containers.IsRunning(container.Id), cancel))
        {
            if (record.Stream == ContainerLogEntry.Stderr) StandardError.Write(cmdlet, global::System.Text.Encoding.UTF8.GetString(record.Content), container.Name);
            else stdout(record.Partial ? record.Content : [.. record.Content, (byte)'\n']);
        }
    }

    /// <summary>Writes one entry to the stream it belongs to.</summary>
    public static void Write(PSCmdlet cmdlet, ContainerLogEntry entry, string containerName)
    {
        if (entry.IsError) StandardError.Write(cmdlet, entry.Text, containerName);
        else cmdlet.WriteObject(entry.Text);
    }
}
