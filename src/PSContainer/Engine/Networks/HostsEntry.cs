namespace PSContainer.Engine.Networks;

/// <summary>One /etc/hosts line: an address and the names it answers to.</summary>
internal sealed record HostsEntry(string Ip, IReadOnlyList<string> Names);
