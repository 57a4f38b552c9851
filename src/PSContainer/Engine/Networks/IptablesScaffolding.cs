using System.Text;
using System.Text.RegularExpressions;
using PSContainer.Engine.Interop;

namespace PSContainer.Engine.Networks;

/// <summary>
/// The chains the portmap and firewall plugins share between all containers (CNI-HOSTPORT-DNAT, -SETMARK, -MASQ;
/// CNI-FORWARD, CNI-ADMIN) and the jumps into them. The plugins create them on ADD but never remove them; once
/// no container rule is left in them, they are removed here, in one iptables-restore transaction. The
/// transaction deletes exactly the rules it saw and then the chains, so a rule another program added meanwhile
/// makes the chain deletion, and with it the whole transaction, fail: nothing in use is ever removed.
/// </summary>
internal static partial class IptablesScaffolding
{
    private const string Forward = "CNI-FORWARD";
    private const string Admin = "CNI-ADMIN";
    private const string HostportDnat = "CNI-HOSTPORT-DNAT";
    private const string HostportSetMark = "CNI-HOSTPORT-SETMARK";
    private const string HostportMasq = "CNI-HOSTPORT-MASQ";
    private const string PortmapChainPrefix = "CNI-DN-";

    [GeneratedRegex(@"(?:^|\s)-j\s+(\S+)")]
    private static partial Regex JumpTarget();

    /// <summary>Removes the shared chains when they hold no container's rules; failures leave them for next time.</summary>
    public static void RemoveUnused()
    {
        var save = ProcessRunner.Which("iptables-save");
        var restore = ProcessRunner.Which("iptables-restore");
        if (save is null || restore is null) return;
        var current = ProcessRunner.Run(save, []);
        if (current.ExitCode != 0) return;
        var script = Plan(current.StdOut);
        // A failed transaction means the chains are in use again; they stay, as they should.
        if (script is not null) ProcessRunner.Run(restore, ["--noflush"], input: script);
    }

    /// <summary>The iptables-restore input that removes the unused shared chains in <paramref name="iptablesSave"/>, or null.</summary>
    public static string? Plan(string iptablesSave)
    {
        var script = new StringBuilder();
        foreach (var (table, chains, rules) in Tables(iptablesSave))
        {
            var remove = new List<string>();
            if (table == "filter" && chains.Contains(Forward)
                && rules.Where(r => r.Chain == Forward).All(r => r.Target == Admin)
                && rules.All(r => r.Chain != Admin && (r.Target != Admin || r.Chain == Forward)))
            {
                remove.Add(Forward);
                if (chains.Contains(Admin)) remove.Add(Admin);
            }
            if (table == "nat" && !chains.Any(c => c.StartsWith(PortmapChainPrefix, StringComparison.Ordinal)))
            {
                if (chains.Contains(HostportDnat) && rules.All(r => r.Chain != HostportDnat)) remove.Add(HostportDnat);
                string[] masquerade = [HostportSetMark, HostportMasq];
                if (masquerade.All(chains.Contains) && rules.All(r => r.Target != HostportSetMark || masquerade.Contains(r.Chain)))
                    remove.AddRange(masquerade);
            }
            if (remove.Count == 0) continue;
            script.Append('*').Append(table).Append('\n');
            // Rules inside the chains and jumps into them, exactly as listed; then the chains themselves.
            foreach (var rule in rules.Where(r => remove.Contains(r.Chain) || (r.Target is { } t && remove.Contains(t))))
                script.Append("-D").Append(rule.Text[2..]).Append('\n');
            foreach (var chain in remove) script.Append("-X ").Append(chain).Append('\n');
            script.Append("COMMIT\n");
        }
        return script.Length == 0 ? null : script.ToString();
    }

    private sealed record Rule(string Chain, string? Target, string Text);

    private static IEnumerable<(string Table, HashSet<string> Chains, List<Rule> Rules)> Tables(string save)
    {
        string? table = null;
        var chains = new HashSet<string>(StringComparer.Ordinal);
        var rules = new List<Rule>();
        foreach (var raw in save.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('*'))
            {
                table = line[1..].Trim();
                chains = new HashSet<string>(StringComparer.Ordinal);
                rules = new List<Rule>();
            }
            else if (line.StartsWith(':') && table is not null)
            {
                chains.Add(line[1..].Split(' ')[0]);
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal) && table is not null)
            {
                var jump = JumpTarget().Match(line);
                rules.Add(new Rule(line[3..].Split(' ')[0], jump.Success ? jump.Groups[1].Value : null, line));
            }
            else if (line == "COMMIT" && table is not null)
            {
                yield return (table, chains, rules);
                table = null;
            }
        }
    }
}
