namespace PSContainer.Engine.Runtime;

/// <summary>
/// Everything conmon needs to run one process in a running container on a terminal. The session
/// directory is conmon's bundle and exit directory: it holds the attach socket, the <c>ctl</c> fifo and,
/// once the process ended, its exit code in a file named after the container.
/// </summary>
internal sealed record ConmonExecLaunch(
    string ContainerId,
    string SessionId,
    string SessionDir,
    string ProcessFile,
    string PidFile,
    string LogPath,
    string SocketDir);
