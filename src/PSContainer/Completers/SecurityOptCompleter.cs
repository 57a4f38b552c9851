using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSContainer.Completers;

/// <summary>Completes -SecurityOpt with the options PSContainer understands.</summary>
public sealed class SecurityOptCompleter : IArgumentCompleter
{
    private static readonly (string Value, string Tip)[] Options =
    [
        ("seccomp=unconfined", "no seccomp filter"),
        ("seccomp=", "seccomp=<path to a profile.json in Docker's or the OCI format>"),
        ("no-new-privileges", "setuid programs and file capabilities grant nothing (the default)"),
        ("no-new-privileges=false", "setuid programs and file capabilities work"),
        ("systempaths=unconfined", "no masked or read-only /proc and /sys paths"),
    ];

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        foreach (var (value, tip) in Options.Where(o => pattern.IsMatch(o.Value)))
            yield return new CompletionResult(value, value, CompletionResultType.ParameterValue, tip);
    }
}
