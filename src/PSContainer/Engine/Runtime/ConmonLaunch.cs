using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Runtime;

/// <summary>Everything conmon needs to create one container.</summary>
internal sealed record ConmonLaunch(
    string ContainerId,
    string Name,
    string BundleDir,
    string ContainerPidFile,
    string ConmonPidFile,
    string LogPath,
    string PersistDir,
    string ExitDir,
    string SocketDir,
    bool Terminal,
    bool Stdin,
    string? ExitCommand,
    IReadOnlyList<string> ExitCommandArgs)
{
    /// <summary>Close the container's stdin when the attached client hangs up (docker run -i, StdinOnce), instead of keeping it for the next attach.</summary>
    public bool StdinOnce { get; init; }
}
