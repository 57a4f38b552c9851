using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Layers;

/// <summary>Mounts a container's root filesystem: image layers (read-only) under a writable upper directory.</summary>
internal static class OverlayMount
{
    // mount(2) takes at most one page of options.
    private const int MaxOptionBytes = 4095;

    /// <summary>
    /// Mounts overlayfs at <paramref name="target"/>. <paramref name="lowerLinks"/> are paths relative to
    /// <paramref name="storeRoot"/>, topmost first. Absolute paths are used when they fit in a page; otherwise
    /// the mount runs in a child process whose working directory is the store root, with relative paths.
    /// </summary>
    public static void Mount(string storeRoot, IReadOnlyList<string> lowerLinks, string upper, string work, string target)
    {
        if (lowerLinks.Count == 0)
            throw new ArgumentException("An overlay needs at least one lower layer.", nameof(lowerLinks));
        var absolute = Options(lowerLinks.Select(l => Path.Combine(storeRoot, l)), upper, work);
        if (absolute.Length <= MaxOptionBytes)
        {
            if (Libc.mount("overlay", target, "overlay", 0, absolute) != 0)
                throw MountFailed(target, Libc.ErrorText(Libc.LastError));
            return;
        }
        var relative = Options(lowerLinks, Path.GetRelativePath(storeRoot, upper), Path.GetRelativePath(storeRoot, work));
        if (relative.Length > MaxOptionBytes)
            throw new EngineException("TooManyLayers", EngineErrorKind.InvalidArgument, $"The image has too many layers ({lowerLinks.Count}) for one overlay mount.");
        // mount(8) runs in the store root, so the relative paths resolve there.
        var result = ProcessRunner.Run("mount", ["-t", "overlay", "overlay", "-o", relative, target], workingDirectory: storeRoot);
        if (result.ExitCode != 0) throw MountFailed(target, result.StdErr.Trim());
    }

    /// <summary>Detaches the mount at <paramref name="target"/>; a target that is not mounted is fine.</summary>
    public static void Unmount(string target)
    {
        if (Libc.umount2(target, Libc.MNT_DETACH) != 0)
        {
            var err = Libc.LastError;
            if (err is not (Libc.EINVAL or Libc.ENOENT))
                throw new EngineException("UnmountFailed", EngineErrorKind.ExternalFailure, $"Cannot unmount {target}: {Libc.ErrorText(err)}", target);
        }
    }

    /// <summary>The set of mount points currently in this mount namespace.</summary>
    public static HashSet<string> MountPoints()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4) set.Add(Unescape(fields[4]));
        }
        return set;
    }

    private static string Options(IEnumerable<string> lowers, string upper, string work) =>
        $"lowerdir={string.Join(':', lowers.Select(Escape))},upperdir={Escape(upper)},workdir={Escape(work)}";

    // overlayfs splits lowerdir on ':' and options on ','; a backslash escapes either.
    private static string Escape(string path) => path.Replace("\\", "\\\\").Replace(":", "\\:").Replace(",", "\\,");

    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    private static EngineException MountFailed(string target, string reason) =>
        new("OverlayMountFailed", EngineErrorKind.ExternalFailure, $"Cannot mount the container's root filesystem at {target}: {reason}", target);
}
