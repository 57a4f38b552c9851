using PSContainer.Engine.Runtime;

namespace PSContainer.Engine.Diagnostics;

/// <summary>What Get-ContainerEngine reports (like <c>docker info</c> and <c>docker system df</c>).</summary>
public sealed class EngineInfo
{
    /// <summary>The module's version.</summary>
    public string Version { get; init; } = "";
    /// <summary>The persistent store.</summary>
    public string Root { get; init; } = "";
    /// <summary>The runtime state directory.</summary>
    public string RunRoot { get; init; } = "";
    /// <summary>The OCI runtime in use.</summary>
    public string Runtime { get; init; } = "";
    /// <summary>The runtime binary.</summary>
    public string RuntimePath { get; init; } = "";
    /// <summary>The runtime's version line.</summary>
    public string RuntimeVersion { get; init; } = "";
    /// <summary>Why that runtime was chosen.</summary>
    public string RuntimeReason { get; init; } = "";
    /// <summary>The conmon binary.</summary>
    public string? ConmonPath { get; init; }
    /// <summary>conmon's version line.</summary>
    public string ConmonVersion { get; init; } = "";
    /// <summary>The host's cgroup layout.</summary>
    public CgroupMode CgroupMode { get; init; }
    /// <summary>Number of containers.</summary>
    public int Containers { get; init; }
    /// <summary>Number of running containers.</summary>
    public int ContainersRunning { get; init; }
    /// <summary>Number of images.</summary>
    public int Images { get; init; }
    /// <summary>Bytes in unpacked layers.</summary>
    public long LayersSize { get; init; }
    /// <summary>Bytes in stored blobs.</summary>
    public long BlobsSize { get; init; }
    /// <summary>Bytes in containers' writable layers and logs.</summary>
    public long ContainersSize { get; init; }
}
