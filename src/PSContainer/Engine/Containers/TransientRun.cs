using PSContainer.Engine.FileSystem;
using PSContainer.Engine.Interop;
using PSContainer.Engine.Layers;
using PSContainer.Engine.Oci;
using PSContainer.Engine.Runtime;
using PSContainer.Engine.Storage;

namespace PSContainer.Engine.Containers;

/// <summary>What one transient process needs: a prepared root, its command and environment, and where to keep its bundle.</summary>
internal sealed class TransientRun
{
    /// <summary>The runtime id; made by <see cref="TransientContainer.NewId"/>, which carries the caller's pid so leftovers can be told apart.</summary>
    public string Id { get; init; } = "";

    /// <summary>The mounted root filesystem.</summary>
    public string Rootfs { get; init; } = "";

    /// <summary>A private directory for config.json and the /etc files.</summary>
    public string BundleDir { get; init; } = "";

    public List<string> Args { get; init; } = new();
    public List<string> Environment { get; init; } = new();
    public string WorkingDirectory { get; init; } = "/";

    /// <summary>user[:group], resolved in the root's /etc/passwd and /etc/group; null is root.</summary>
    public string? User { get; init; }

    /// <summary>"bridge", "none" or "host".</summary>
    public string Network { get; init; } = "bridge";

    /// <summary>Extra mounts (cache directories, secrets, tmpfs).</summary>
    public List<OciMount> Mounts { get; init; } = new();
}
