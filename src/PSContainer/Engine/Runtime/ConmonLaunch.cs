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
    IReadOnlyList<string> ExitCommandArgs,
    bool StdinOnce = false,
    int ExitDelaySeconds = Runtime.ExitCommand.DelaySeconds);
