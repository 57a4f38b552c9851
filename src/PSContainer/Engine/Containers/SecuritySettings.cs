namespace PSContainer.Engine.Containers;

/// <summary>How a container is confined: -Privileged, -CapAdd, -CapDrop and -SecurityOpt, as given at creation.</summary>
internal sealed class SecuritySettings
{
    /// <summary>The word for the engine's default seccomp profile.</summary>
    public const string DefaultProfile = "default";

    /// <summary>The word for no seccomp filter at all.</summary>
    public const string Unconfined = "unconfined";

    /// <summary>Every capability, no seccomp filter, no masked paths, the host's devices (-Privileged).</summary>
    public bool Privileged { get; set; }

    /// <summary>Capabilities added to Docker's default set, as CAP_ names or ALL.</summary>
    public List<string> CapAdd { get; set; } = new();

    /// <summary>Capabilities removed from Docker's default set, as CAP_ names or ALL.</summary>
    public List<string> CapDrop { get; set; } = new();

    /// <summary>
    /// Whether setuid programs and file capabilities are ignored. On by default, as on a Docker daemon that
    /// sets no-new-privileges; -SecurityOpt no-new-privileges=false turns it off.
    /// </summary>
    public bool NoNewPrivileges { get; set; } = true;

    /// <summary>The seccomp profile: <see cref="DefaultProfile"/>, <see cref="Unconfined"/> or the full path of a profile file.</summary>
    public string SeccompProfile { get; set; } = DefaultProfile;

    /// <summary>
    /// The profile file's text as it was at creation: as with Docker, the container keeps the profile it was
    /// created with when the file later changes or goes away.
    /// </summary>
    public string? SeccompProfileJson { get; set; }

    /// <summary>/proc and /sys paths are neither masked nor read-only (-SecurityOpt systempaths=unconfined).</summary>
    public bool UnmaskedSystemPaths { get; set; }

    /// <summary>The -SecurityOpt values, normalized ("seccomp=/full/path.json", "no-new-privileges=true").</summary>
    public List<string> Options { get; set; } = new();
}
