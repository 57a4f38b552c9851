namespace PSContainer.Engine.Containers;

/// <summary>What a command run in a container (Invoke-ContainerCommand -PassThru) did.</summary>
public sealed class ContainerCommandResult
{
    /// <summary>The container's name.</summary>
    public string Container { get; init; } = "";

    /// <summary>The program and its arguments.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>The process's exit code (126: could not run, 127: not found, 128+N: killed by signal N).</summary>
    public int ExitCode { get; init; }

    /// <summary>The lines it wrote to stdout (and stderr, with -MergeError).</summary>
    public IReadOnlyList<string> Output { get; init; } = [];

    /// <summary>The lines it wrote to stderr (empty with -MergeError).</summary>
    public IReadOnlyList<string> Error { get; init; } = [];

    /// <inheritdoc/>
    public override string ToString() => string.Join(Environment.NewLine, Output);
}
