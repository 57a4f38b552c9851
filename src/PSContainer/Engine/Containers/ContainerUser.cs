using System.Globalization;

namespace PSContainer.Engine.Containers;

/// <summary>
/// Resolves Docker's <c>user[:group]</c> (names or numbers) against the container's /etc/passwd and
/// /etc/group. The files are read only when no path component is a symlink, so a hostile image cannot
/// make the engine read host files.
/// </summary>
internal static class ContainerUser
{
    /// <summary>The numeric identity, with the user's supplementary groups.</summary>
    public readonly record struct Ids(uint Uid, uint Gid, List<uint> AdditionalGids);

    /// <summary>Resolves <paramref name="user"/> (null or empty means root) inside <paramref name="rootfs"/>.</summary>
    public static Ids Resolve(string rootfs, string? user)
    {
        if (string.IsNullOrEmpty(user)) user = "0";
        var parts = user.Split(':', 2);
        var passwd = ReadTable(rootfs, "etc/passwd");
        var groups = ReadTable(rootfs, "etc/group");

        uint uid;
        uint? primaryGid = null;
        string? userName = null;
        if (uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uid))
        {
            var entry = passwd.FirstOrDefault(p => p.Length > 3 && p[2] == parts[0]);
            if (entry is not null) { userName = entry[0]; primaryGid = ParseId(entry[3]); }
        }
        else
        {
            var entry = passwd.FirstOrDefault(p => p.Length > 3 && p[0] == parts[0])
                ?? throw new EngineException("UserNotFound", EngineErrorKind.InvalidArgument, $"User '{parts[0]}' is not in the container's /etc/passwd.", user);
            userName = entry[0];
            uid = ParseId(entry[2]) ?? throw Invalid(user);
            primaryGid = ParseId(entry[3]);
        }

        uint gid;
        if (parts.Length == 2)
        {
            if (!uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                var entry = groups.FirstOrDefault(g => g.Length > 2 && g[0] == parts[1])
                    ?? throw new EngineException("GroupNotFound", EngineErrorKind.InvalidArgument, $"Group '{parts[1]}' is not in the container's /etc/group.", user);
                gid = ParseId(entry[2]) ?? throw Invalid(user);
            }
        }
        else
        {
            gid = primaryGid ?? 0;
        }

        var additional = new List<uint>();
        if (userName is not null && parts.Length == 1)
        {
            foreach (var g in groups)
            {
                if (g.Length > 3 && g[3].Split(',').Contains(userName) && ParseId(g[2]) is { } id && id != gid)
                    additional.Add(id);
            }
        }
        return new Ids(uid, gid, additional);
    }

    /// <summary>A group's id: a number, or a name in the container's /etc/group (-GroupAdd).</summary>
    public static uint GroupId(string rootfs, string group) =>
        ParseId(group) ?? (ReadTable(rootfs, "etc/group").FirstOrDefault(g => g.Length > 2 && g[0] == group) is { } entry ? ParseId(entry[2]) : null)
        ?? throw new EngineException("GroupNotFound", EngineErrorKind.InvalidArgument, $"Group '{group}' is not in the container's /etc/group.", group);

    /// <summary>The names of the users in the container's /etc/passwd, by uid (the first name wins).</summary>
    public static Dictionary<uint, string> Names(string rootfs)
    {
        var names = new Dictionary<uint, string>();
        foreach (var entry in ReadTable(rootfs, "etc/passwd"))
            if (entry.Length > 2 && ParseId(entry[2]) is { } uid) names.TryAdd(uid, entry[0]);
        return names;
    }

    private static uint? ParseId(string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static EngineException Invalid(string user) =>
        new("InvalidUser", EngineErrorKind.InvalidArgument, $"User '{user}' has no valid numeric id.", user);

    private static List<string[]> ReadTable(string rootfs, string relative)
    {
        var path = rootfs;
        foreach (var part in relative.Split('/'))
        {
            path = Path.Combine(path, part);
            var info = new FileInfo(path);
            if (!info.Exists && !Directory.Exists(path)) return [];
            if (info.LinkTarget is not null) return [];
        }
        var info2 = new FileInfo(path);
        if (!info2.Exists || info2.Length > 4 << 20) return [];
        return File.ReadLines(path)
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(':'))
            .ToList();
    }
}
