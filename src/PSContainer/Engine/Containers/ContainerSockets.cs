namespace PSContainer.Engine.Containers;

/// <summary>The sockets listening in a running container, each with the process that holds it (as <c>ss -lntup</c> inside it).</summary>
internal static class ContainerSockets
{
    /// <summary>The listening sockets of a running container, by port.</summary>
    public static List<ListeningSocket> Of(ContainerManager containers, string idOrName)
    {
        var record = containers.Find(idOrName);
        if (record.State.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            throw new EngineException("ContainerNotRunning", EngineErrorKind.InvalidState, $"Container {record.Name} is not running.", record.Name);
        var sockets = ProcNetSockets.Read("/proc", record.State.Pid);
        var owners = ProcNetSockets.Owners("/proc", containers.RuntimeOf(record).Processes(record.Id));
        return sockets
            .Select(s => owners.TryGetValue(s.Inode, out var pid)
                ? new ListeningSocket { Container = record.Name, Protocol = s.Protocol, Address = s.Address, Port = s.Port, Inode = s.Inode, Pid = pid, ProcessName = ProcessName(pid) }
                : new ListeningSocket { Container = record.Name, Protocol = s.Protocol, Address = s.Address, Port = s.Port, Inode = s.Inode })
            .OrderBy(s => s.Port).ThenBy(s => s.Protocol, StringComparer.Ordinal).ThenBy(s => s.Address, StringComparer.Ordinal)
            .ToList();
    }

    private static string? ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
