using System.Runtime.InteropServices;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// What conmon runs when a container's process ends, so exits are recorded, mounts released and
/// -AutoRemove containers removed even when no pwsh is running: pscontainer-exit.sh, staged beside the
/// engine, which starts pscontainer-exit.dll only when no session has recorded the exit yet. conmon waits
/// <see cref="DelaySeconds"/> first so a waiting session usually wins. Without a dotnet muxer (a
/// self-contained host) there is no exit command and the next cmdlet does the same work.
/// </summary>
internal static class ExitCommand
{
    /// <summary>Seconds conmon waits before running the exit command.</summary>
    public const int DelaySeconds = 1;

    /// <summary>
    /// The delay for a container: none when a restart policy may start it again, since the exit command
    /// then runs in any case and Docker's first back-off is 100 ms.
    /// </summary>
    public static int DelayFor(bool mayRestart) => mayRestart ? 0 : DelaySeconds;

    private static readonly Lazy<(string? Muxer, string? Script, string? Dll)> Location = new(Find);

    /// <summary>The program conmon should run, or null when there is none.</summary>
    public static string? Program => Location.Value is ({ }, { }, { }) ? "/bin/sh" : null;

    /// <summary>The arguments for one container.</summary>
    public static IReadOnlyList<string> Arguments(StoreLayout layout, string containerId) =>
        Location.Value is ({ } muxer, { } script, { } dll) ? [script, muxer, dll, layout.Root, layout.RunRoot, containerId] : [];

    /// <summary>
    /// How to run the store's health monitor: <c>pscontainer-health</c>, the same program compiled ahead of time
    /// (a tenth of a .NET runtime's memory), staged beside the engine; else <c>dotnet pscontainer-exit.dll</c>.
    /// The program and its arguments, and the environment it needs; null when neither can run.
    /// </summary>
    public static (string Program, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)? HealthMonitor(StoreLayout layout)
    {
        var (muxer, _, dll) = Location.Value;
        // The native monitor starts containers too (-HealthOnFailure restart), whose exit command needs the muxer.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (muxer is not null) environment[MuxerVariable] = muxer;
        var native = Path.Combine(Directory, "pscontainer-health");
        if (File.Exists(native)) return (native, [HealthMonitorSwitch, layout.Root, layout.RunRoot], environment);
        return muxer is not null && dll is not null ? (muxer, [dll, HealthMonitorSwitch, layout.Root, layout.RunRoot], environment) : null;
    }

    /// <summary>The first argument that makes pscontainer-exit run the health monitor.</summary>
    public const string HealthMonitorSwitch = "--health-monitor";

    /// <summary>Tells a natively compiled engine process where the dotnet muxer is.</summary>
    private const string MuxerVariable = "PSCONTAINER_DOTNET";

    // Compiled ahead of time, the engine has no assembly location: it lives in the directory of its executable.
    private static string Directory =>
        typeof(ExitCommand).Assembly.Location is { Length: > 0 } location ? Path.GetDirectoryName(location) ?? "" : AppContext.BaseDirectory;

    private static (string?, string?, string?) Find()
    {
        var dir = Directory;
        var dll = Path.Combine(dir, "pscontainer-exit.dll");
        var script = Path.Combine(dir, "pscontainer-exit.sh");
        // The runtime lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/; the muxer in <dotnet root>.
        var muxer = Environment.GetEnvironmentVariable(MuxerVariable) is { Length: > 0 } given
            ? given
            : Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return (File.Exists(muxer) ? muxer : null, File.Exists(script) ? script : null, File.Exists(dll) ? dll : null);
    }
}
