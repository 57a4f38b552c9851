using System.Runtime.InteropServices;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Runtime;

/// <summary>
/// The program conmon runs when a container's process ends (pscontainer-exit, staged beside the engine),
/// so exits are recorded, mounts released and -AutoRemove containers removed even when no pwsh is
/// running. Without it (a self-contained host without a dotnet muxer) the next cmdlet does the same.
/// </summary>
internal static class ExitCommand
{
    private static readonly Lazy<(string? Muxer, string? Dll)> Location = new(Find);

    /// <summary>The program conmon should run, or null when there is none.</summary>
    public static string? Program => Location.Value.Dll is null ? null : Location.Value.Muxer;

    /// <summary>The arguments for one container.</summary>
    public static IReadOnlyList<string> Arguments(StoreLayout layout, string containerId) =>
        Location.Value.Dll is { } dll && Location.Value.Muxer is not null ? [dll, layout.Root, layout.RunRoot, containerId] : [];

    private static (string?, string?) Find()
    {
        var dll = Path.Combine(Path.GetDirectoryName(typeof(ExitCommand).Assembly.Location) ?? "", "pscontainer-exit.dll");
        // The runtime lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/; the muxer in <dotnet root>.
        var muxer = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return (File.Exists(muxer) ? muxer : null, File.Exists(dll) ? dll : null);
    }
}
