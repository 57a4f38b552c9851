using System.Text;

namespace PSContainer.Engine.Networks;

/// <summary>The /etc/hosts of a container on networks, and how a running container's copy is rewritten.</summary>
internal static class HostsFiles
{
    /// <summary>
    /// The hosts file of <paramref name="self"/>: its own addresses (hostname, name and aliases), then the peers
    /// attached to its user networks among <paramref name="attached"/>, in name order.
    /// </summary>
    public static string For(NetworkPeer self, IReadOnlyList<NetworkPeer> attached)
    {
        var own = self.Endpoints.Select(e => new HostsEntry(e.IPAddress!, [self.Hostname, self.Name, .. e.Aliases])).ToList();
        var peers = new List<HostsEntry>();
        foreach (var endpoint in self.Endpoints.Where(e => e.Network != NetworkManager.DefaultNetwork))
        {
            foreach (var peer in attached.Where(p => p.Id != self.Id).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (peer.Endpoints.FirstOrDefault(e => e.Network == endpoint.Network) is { } theirs)
                    peers.Add(new HostsEntry(theirs.IPAddress!, [peer.Name, .. theirs.Aliases]));
            }
        }
        return EtcFiles.Hosts(own, peers);
    }

    /// <summary>
    /// Overwrites a file keeping its inode: the container sees it through a bind mount of that inode, which a
    /// rename would leave pointing at the old content.
    /// </summary>
    public static void RewriteInPlace(string path, string content)
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var bytes = Encoding.UTF8.GetBytes(content);
        stream.SetLength(0);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
