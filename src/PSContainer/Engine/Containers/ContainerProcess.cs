namespace PSContainer.Engine.Containers;

/// <summary>One process running in a container (a row of <c>docker top</c>).</summary>
public sealed class ContainerProcess
{
    /// <summary>The container's name.</summary>
    public string Container { get; init; } = "";

    /// <summary>The process id on the host.</summary>
    public int Pid { get; init; }

    /// <summary>The parent's process id on the host.</summary>
    public int ParentPid { get; init; }

    /// <summary>The process id inside the container's pid namespace (1 for its init).</summary>
    public int ContainerPid { get; init; }

    /// <summary>The effective user id.</summary>
    public uint Uid { get; init; }

    /// <summary>The user's name in the container's /etc/passwd, else the uid.</summary>
    public string User { get; init; } = "";

    /// <summary>The kernel's one-letter state: R running, S sleeping, D disk wait, Z zombie, T stopped.</summary>
    public string State { get; init; } = "";

    /// <summary>The program name (comm).</summary>
    public string Name { get; init; } = "";

    /// <summary>The command line, arguments separated by spaces; the name in brackets when it has none.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>When the process started.</summary>
    public DateTimeOffset StartTime { get; init; }

    /// <summary>How long it has run.</summary>
    public TimeSpan Elapsed => DateTimeOffset.UtcNow - StartTime;

    /// <summary>CPU time used, user plus system.</summary>
    public TimeSpan CpuTime { get; init; }

    /// <inheritdoc/>
    public override string ToString() => CommandLine;
}
