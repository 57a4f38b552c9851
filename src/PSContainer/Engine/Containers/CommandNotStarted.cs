namespace PSContainer.Engine.Containers;

/// <summary>The exit code of a container command the runtime could not start, as Docker and a shell report it.</summary>
internal static class CommandNotStarted
{
    /// <summary>127 when the runtime's message says the program does not exist, 126 when it cannot be run.</summary>
    public static int ExitCode(string runtimeMessage) =>
        runtimeMessage.Contains("not found", StringComparison.OrdinalIgnoreCase)
        || runtimeMessage.Contains("no such file", StringComparison.OrdinalIgnoreCase) ? 127 : 126;
}
