using System.Text.Json;
using System.Text.Json.Nodes;
using PSContainer.Engine.Storage;
using PSContainer.Engine.FileSystem;

namespace PSContainer.Engine.Networks;

/// <summary>
/// The network files of the store: <c>networks/&lt;name&gt;.conflist</c> (CNI configuration lists),
/// <c>networks/ipam/&lt;name&gt;/</c> (host-local leases) and <c>networks/attachments/&lt;id&gt;-&lt;ifname&gt;.json</c>
/// (the cached attachments DEL needs).
/// </summary>
internal sealed class NetworkStore
{
    private const string ConfigExtension = ".conflist";
    // Relaxed escaping keeps the lists readable ("+00:00", not "\u002B00:00"); they are files, never HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public NetworkStore(string dir)
    {
        Dir = dir;
    }

    /// <summary>The networks directory.</summary>
    public string Dir { get; }

    /// <summary>host-local's data directory: one directory of leases per network.</summary>
    public string IpamDir => Path.Combine(Dir, "ipam");

    /// <summary>The cached attachments.</summary>
    public string AttachmentsDir => Path.Combine(Dir, "attachments");

    /// <summary>The configuration list of a network.</summary>
    public string ConfigPath(string name) => Path.Combine(Dir, name + ConfigExtension);

    /// <summary>Every readable network; unreadable lists are skipped.</summary>
    public List<NetworkDefinition> List()
    {
        if (!Directory.Exists(Dir)) return [];
        return Directory.EnumerateFiles(Dir, "*" + ConfigExtension)
            .Select(f => TryRead(Path.GetFileNameWithoutExtension(f)))
            .OfType<NetworkDefinition>()
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A network by name, or null.</summary>
    public NetworkDefinition? TryRead(string name)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(ConfigPath(name))) is JsonObject config ? NetworkDefinition.FromConfig(config, name) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes a configuration list atomically.</summary>
    public void Write(string name, JsonObject config)
    {
        Directory.CreateDirectory(Dir);
        AtomicFile.WriteAllText(ConfigPath(name), config.ToJsonString(Indented) + "\n");
    }

    /// <summary>Removes a network's list and its lease directory.</summary>
    public void Delete(string name)
    {
        DirectoryTree.Delete(Path.Combine(IpamDir, name));
        File.Delete(ConfigPath(name));
    }

    /// <summary>The addresses host-local has leased on a network (its files named by address).</summary>
    public IEnumerable<string> Leases(string name)
    {
        var dir = Path.Combine(IpamDir, name);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>().Where(f => Ipv4Subnet.TryParseAddress(f, out _))
            : [];
    }

    /// <summary>Caches an attachment (before ADD and after each result).</summary>
    public void SaveAttachment(CniAttachment attachment)
    {
        Directory.CreateDirectory(AttachmentsDir);
        StoreJson.Write(AttachmentPath(attachment.ContainerId, attachment.IfName), attachment, NetworkJsonContext.Default.CniAttachment);
    }

    /// <summary>Forgets an attachment once DEL succeeded.</summary>
    public void DeleteAttachment(CniAttachment attachment) => File.Delete(AttachmentPath(attachment.ContainerId, attachment.IfName));

    /// <summary>The cached attachments of one container, last interface first (the order to delete them in).</summary>
    public List<CniAttachment> Attachments(string containerId) => Read(containerId + "-*.json", _ => true);

    /// <summary>The cached attachments of containers <paramref name="isLive"/> does not keep.</summary>
    public List<CniAttachment> AttachmentsExcept(Func<string, bool> isLive) =>
        Read("*-*.json", _ => true).Where(a => !isLive(a.ContainerId)).ToList();

    private List<CniAttachment> Read(string pattern, Func<string, bool> include)
    {
        if (!Directory.Exists(AttachmentsDir)) return [];
        return Directory.EnumerateFiles(AttachmentsDir, pattern)
            .Where(include)
            .Select(f => StoreJson.TryRead(f, NetworkJsonContext.Default.CniAttachment))
            .OfType<CniAttachment>()
            .OrderByDescending(a => a.IfName.Length).ThenByDescending(a => a.IfName, StringComparer.Ordinal)
            .ToList();
    }

    private string AttachmentPath(string containerId, string ifName) => Path.Combine(AttachmentsDir, containerId + "-" + ifName + ".json");
}
