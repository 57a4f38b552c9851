using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;

namespace PSContainer.Commands.Containers;

/// <summary>
/// Checks how a container command was typed. PowerShell binds every token that looks like a parameter, so
/// in <c>Invoke-ContainerCommand web grep -v root /etc/passwd</c> the <c>-v</c> would silently turn on
/// -Verbose, and a typo such as <c>-Nmae x</c> would silently become the container's command. The
/// invocation's syntax tree shows every token as typed: a parameter token after the container command has
/// begun is refused with the corrected form, which ends PowerShell's parameters with <c>--</c> (after it
/// the parser makes every token an argument, so the command reaches the container verbatim).
/// </summary>
internal static class ContainerCommandLine
{
    // Common parameters no container program takes: accepted after a command typed as bare words only when
    // written in full. -Verbose and -Debug are not among them (java -verbose, gdb -debug).
    private static readonly HashSet<string> PowerShellOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "ErrorAction", "ErrorVariable", "WarningAction", "WarningVariable", "InformationAction", "InformationVariable",
        "OutVariable", "OutBuffer", "PipelineVariable", "ProgressAction", "WhatIf", "Confirm",
    };

    // The extent of the command as typed: public InvocationInfo offers only its first line.
    private static readonly PropertyInfo? ScriptPosition =
        typeof(InvocationInfo).GetProperty("ScriptPosition", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>
    /// The error for a command line whose container command (bound to <paramref name="commandParameter"/>)
    /// is mistyped, or null when it reaches the container as typed. Invocations without source text (from
    /// a host's API) bind parameters explicitly and always pass.
    /// </summary>
    public static ErrorRecord? Check(PSCmdlet cmdlet, string commandParameter)
    {
        var invocation = cmdlet.MyInvocation;
        if (FindCommandAst(invocation) is not { } ast) return null;
        var parameters = invocation.MyCommand.Parameters;
        var leading = LeadingPositionals(parameters, cmdlet.ParameterSetName, commandParameter);
        var elements = ast.CommandElements;
        var name = elements[0].Extent.Text;

        var before = new List<string>();      // PowerShell's part before the command, kept in place
        var after = new List<string>();       // PowerShell's parameters typed after the command, moved before --
        var command = new List<string>();     // the container command's part
        (string Token, string Reason, string Id)? problem = null;
        var begun = false;
        var open = false;
        for (var i = 1; i < elements.Count; i++)
        {
            var element = elements[i];
            if (element is CommandParameterAst parameter)
            {
                if (parameter.ParameterName == "-")
                {
                    if (problem is null) return null;
                    command.AddRange(elements.Skip(i + 1).Select(e => e.Extent.Text));
                    break;
                }
                var resolved = Resolve(parameters, parameter.ParameterName);
                var takesValue = parameter.Argument is null && resolved is { SwitchParameter: false } && i + 1 < elements.Count;
                var text = parameter.Extent.Text;
                if (resolved is null)
                {
                    problem ??= (text, NotAParameterReason(invocation.MyCommand.Name, parameter.ParameterName, parameters), "NotAParameter");
                    command.Add(text);
                    begun = open = true;
                    continue;
                }
                if (resolved.Name.Equals(commandParameter, StringComparison.OrdinalIgnoreCase))
                {
                    begun = true;
                    if (parameter.Argument is { } inline) { command.Add(inline.Extent.Text); open = inline is not ArrayLiteralAst; }
                    else if (takesValue) { command.Add(elements[++i].Extent.Text); open = elements[i] is not ArrayLiteralAst; }
                    continue;
                }
                if (begun && !AcceptedAfterCommand(resolved, parameter.ParameterName, open))
                {
                    problem ??= (text, $"'{text}' comes after the container command has begun, so PowerShell would take it as its own -{resolved.Name} parameter.", "ParameterAfterContainerCommand");
                    command.Add(text);
                    continue;
                }
                var target = begun ? after : before;
                target.Add(text);
                if (takesValue) target.Add(elements[++i].Extent.Text);
                continue;
            }
            if (element is VariableExpressionAst { Splatted: true })
            {
                (begun ? after : before).Add(element.Extent.Text);
                continue;
            }
            if (!begun && leading > 0)
            {
                leading--;
                before.Add(element.Extent.Text);
                continue;
            }
            begun = true;
            open = element is not (ArrayLiteralAst or ArrayExpressionAst);
            command.Add(element.Extent.Text);
        }
        if (problem is not { } found) return null;

        var corrected = string.Join(' ', new[] { name }.Concat(before).Concat(after).Append("--").Concat(command));
        var message = $"{found.Reason} Arguments of the container command go after '--', which ends PowerShell's parameters: {corrected}";
        return new ErrorRecord(new ParameterBindingException(message), found.Id, ErrorCategory.InvalidArgument, found.Token);
    }

    private static CommandAst? FindCommandAst(InvocationInfo invocation)
    {
        var text = (ScriptPosition?.GetValue(invocation) as IScriptExtent)?.Text;
        if (string.IsNullOrEmpty(text)) return null;
        var script = Parser.ParseInput(text, out _, out var errors);
        if (errors.Length > 0) return null;
        // The extent is the command itself; commands nested in its arguments come later in pre-order.
        return script.Find(a => a is CommandAst, searchNestedScriptBlocks: false) as CommandAst;
    }

    // How many positional arguments go to parameters before the command (the image, the container).
    private static int LeadingPositionals(Dictionary<string, ParameterMetadata> parameters, string parameterSet, string commandParameter)
    {
        static int? PositionIn(ParameterMetadata p, string set) =>
            (p.ParameterSets.TryGetValue(set, out var m) || p.ParameterSets.TryGetValue(ParameterAttribute.AllParameterSets, out m))
            && m.Position >= 0 ? m.Position : null;
        var commandPosition = parameters.TryGetValue(commandParameter, out var c) ? PositionIn(c, parameterSet) ?? int.MaxValue : int.MaxValue;
        return parameters.Values.Count(p => PositionIn(p, parameterSet) is { } position && position < commandPosition);
    }

    // As PowerShell matches a parameter token: a name or alias in full, else a unique prefix of names.
    private static ParameterMetadata? Resolve(Dictionary<string, ParameterMetadata> parameters, string token)
    {
        foreach (var p in parameters.Values)
            if (p.Name.Equals(token, StringComparison.OrdinalIgnoreCase) || p.Aliases.Contains(token, StringComparer.OrdinalIgnoreCase))
                return p;
        var matches = parameters.Values.Where(p => p.Name.StartsWith(token, StringComparison.OrdinalIgnoreCase)
            || p.Aliases.Any(a => a.StartsWith(token, StringComparison.OrdinalIgnoreCase))).Distinct().ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    // After a command typed as bare words (open), only the full names of common parameters no program
    // takes are PowerShell's; after a command typed as an array (`ls, -l`), full names and long aliases.
    private static bool AcceptedAfterCommand(ParameterMetadata resolved, string token, bool open)
    {
        if (open) return PowerShellOnly.Contains(token) && resolved.Name.Equals(token, StringComparison.OrdinalIgnoreCase);
        return resolved.Name.Equals(token, StringComparison.OrdinalIgnoreCase)
            || (token.Length > 1 && resolved.Aliases.Contains(token, StringComparer.OrdinalIgnoreCase));
    }

    private static string NotAParameterReason(string cmdlet, string token, Dictionary<string, ParameterMetadata> parameters)
    {
        var nearest = parameters.Keys
            .Select(n => (Name: n, Distance: EditDistance(token.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(n => n.Distance <= Math.Max(1, token.Length / 3))
            .OrderBy(n => n.Distance).Select(n => n.Name).FirstOrDefault();
        return $"'-{token}' is not a parameter of {cmdlet}" + (nearest is null ? "." : $" (did you mean -{nearest}?).");
    }

    /// <summary>Edits (insert, delete, replace, swap of neighbours) that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    internal static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
