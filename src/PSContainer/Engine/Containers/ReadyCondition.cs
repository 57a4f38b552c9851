using System.Globalization;
using System.Text.RegularExpressions;

namespace PSContainer.Engine.Containers;

/// <summary>What makes a started container ready for use (Use-Container -WaitFor, Wait-Container -Port/-LogPattern).</summary>
public enum ReadyKind
{
    /// <summary>Its process runs.</summary>
    Running,
    /// <summary>Its healthcheck reports healthy.</summary>
    Healthy,
    /// <summary>Something listens on a TCP port inside its network namespace.</summary>
    Port,
    /// <summary>It has written a log line that matches a regular expression.</summary>
    Log,
    /// <summary>A command run in it exits with code 0.</summary>
    Command,
}

/// <summary>One readiness condition and its argument.</summary>
public sealed class ReadyCondition
{
    private ReadyCondition(ReadyKind kind) => Kind = kind;

    /// <summary>The kind of condition.</summary>
    public ReadyKind Kind { get; }

    /// <summary>The TCP port, for <see cref="ReadyKind.Port"/>.</summary>
    public int Port { get; private init; }

    /// <summary>The pattern, for <see cref="ReadyKind.Log"/>.</summary>
    public Regex? Pattern { get; private init; }

    /// <summary>The program and its arguments, for <see cref="ReadyKind.Command"/>.</summary>
    public IReadOnlyList<string> Command { get; private init; } = [];

    /// <summary>The process runs.</summary>
    public static ReadyCondition Running { get; } = new(ReadyKind.Running);

    /// <summary>The healthcheck reports healthy.</summary>
    public static ReadyCondition Healthy { get; } = new(ReadyKind.Healthy);

    /// <summary>Something listens on TCP <paramref name="port"/> inside the container.</summary>
    public static ReadyCondition ForPort(int port) =>
        port is > 0 and < 65536 ? new(ReadyKind.Port) { Port = port }
        : throw new EngineException("InvalidPort", EngineErrorKind.InvalidArgument, $"Port {port} is not between 1 and 65535.", port);

    /// <summary>A log line (stdout or stderr) matches <paramref name="pattern"/>.</summary>
    public static ReadyCondition ForLog(string pattern)
    {
        try
        {
            return new(ReadyKind.Log) { Pattern = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) };
        }
        catch (ArgumentException ex)
        {
            throw new EngineException("InvalidLogPattern", EngineErrorKind.InvalidArgument, $"'{pattern}' is not a valid regular expression: {ex.Message}", pattern, ex);
        }
    }

    /// <summary><paramref name="command"/> run in the container exits with code 0.</summary>
    public static ReadyCondition ForCommand(IReadOnlyList<string> command) =>
        command.Count > 0 ? new(ReadyKind.Command) { Command = command.ToList() }
        : throw new EngineException("InvalidWaitCommand", EngineErrorKind.InvalidArgument, "The readiness command is empty.");

    /// <summary>The condition in words, for messages ("port 80 listens").</summary>
    public override string ToString() => Kind switch
    {
        ReadyKind.Port => "port " + Port.ToString(CultureInfo.InvariantCulture) + " listens",
        ReadyKind.Log => $"a log line matches '{Pattern}'",
        ReadyKind.Command => $"'{string.Join(' ', Command)}' succeeds",
        ReadyKind.Healthy => "it is healthy",
        _ => "it runs",
    };
}
