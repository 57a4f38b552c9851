using System.Text;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Networks;

/// <summary>
/// The iptables rules of one attachment, added and removed by the engine in one <c>iptables-restore --noflush</c>
/// transaction each, where the bridge plugin (ipMasq) and the firewall plugin ran about twenty iptables
/// processes: traffic to and from the container is forwarded (even where the FORWARD policy is DROP), and
/// traffic it sends out of any interface but its bridge is masqueraded unless the network is internal. Every
/// rule carries a comment naming the container and interface, so a teardown that finds the rules changed
/// removes exactly the ones still there.
/// </summary>
internal static class ContainerRules
{
    /// <summary>The rules, each "table chain rule-spec", for a container at <paramref name="ip"/> behind <paramref name="bridge"/>.</summary>
    public static List<string> For(string containerId, string ifName, string ip, string bridge, bool masquerade)
    {
        var tag = Tag(containerId, ifName);
        var rules = new List<string>
        {
            $"filter FORWARD -d {ip}/32 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment {tag} -j ACCEPT",
            $"filter FORWARD -s {ip}/32 -m comment --comment {tag} -j ACCEPT",
        };
        if (masquerade) rules.Add($"nat POSTROUTING -s {ip}/32 ! -o {bridge} -m comment --comment {tag} -j MASQUERADE");
        return rules;
    }

    /// <summary>The iptables-restore input that inserts (forward rules first in their chain) or deletes <paramref name="rules"/>.</summary>
    public static string Script(IEnumerable<string> rules, bool add)
    {
        var text = new StringBuilder();
        foreach (var table in rules.Select(Parse).GroupBy(r => r.Table))
        {
            text.Append('*').Append(table.Key).Append('\n');
            foreach (var (_, chain, spec) in table)
                text.Append(add ? (chain == "FORWARD" ? "-I " : "-A ") : "-D ").Append(chain).Append(' ').Append(spec).Append('\n');
            text.Append("COMMIT\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// The iptables-restore input that deletes every rule in <paramref name="iptablesSave"/> tagged for the
    /// container's interface, or null when none is left.
    /// </summary>
    public static string? LeftoverScript(string iptablesSave, string containerId, string ifName)
    {
        var tag = "--comment " + Tag(containerId, ifName) + " ";
        var text = new StringBuilder();
        string? table = null;
        var any = false;
        foreach (var line in iptablesSave.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith('*')) table = line;
            else if (line.StartsWith("-A ", StringComparison.Ordinal) && line.Contains(tag, StringComparison.Ordinal) && table is not null)
            {
                text.Append(table).Append('\n').Append("-D").Append(line[2..]).Append("\nCOMMIT\n");
                any = true;
            }
        }
        return any ? text.ToString() : null;
    }

    /// <summary>Adds the rules in one transaction.</summary>
    public static void Add(IReadOnlyList<string> rules)
    {
        if (rules.Count == 0) return;
        var result = ProcessRunner.Run(Restore(), ["-w", "--noflush"], input: Script(rules, add: true));
        if (result.ExitCode != 0)
            throw new EngineException("NetworkRulesFailed", EngineErrorKind.ExternalFailure, $"iptables-restore could not add the container's rules: {(result.StdErr + result.StdOut).Trim()}");
    }

    /// <summary>
    /// Removes the rules in one transaction; when some are gone already (a repeated teardown), the ones still
    /// tagged for the container's interface are found with iptables-save and removed.
    /// </summary>
    public static void Remove(IReadOnlyList<string> rules, string containerId, string ifName)
    {
        if (rules.Count == 0) return;
        var restore = Restore();
        if (ProcessRunner.Run(restore, ["-w", "--noflush"], input: Script(rules, add: false)).ExitCode == 0) return;
        var save = ProcessRunner.Which("iptables-save") ?? throw NotInstalled();
        var current = ProcessRunner.Run(save, []);
        if (current.ExitCode != 0 || LeftoverScript(current.StdOut, containerId, ifName) is not { } script) return;
        var result = ProcessRunner.Run(restore, ["-w", "--noflush"], input: script);
        if (result.ExitCode != 0)
            throw new EngineException("NetworkRulesFailed", EngineErrorKind.ExternalFailure, $"iptables-restore could not remove the container's rules: {(result.StdErr + result.StdOut).Trim()}");
    }

    private static string Tag(string containerId, string ifName) => "pscontainer:" + containerId[..12] + ":" + ifName;

    private static (string Table, string Chain, string Spec) Parse(string rule)
    {
        var parts = rule.Split(' ', 3);
        return (parts[0], parts[1], parts[2]);
    }

    private static string Restore() => ProcessRunner.Which("iptables-restore") ?? throw NotInstalled();

    private static EngineException NotInstalled() =>
        new("IptablesNotFound", EngineErrorKind.NotInstalled, "iptables-restore was not found. Install it: apt-get install iptables.");
}
