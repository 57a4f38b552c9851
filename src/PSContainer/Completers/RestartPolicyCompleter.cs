using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PSContainer.Completers;

/// <summary>Completes Docker's restart policies.</summary>
public sealed class RestartPolicyCompleter : IArgumentCompleter
{
    private static readonly string[] Policies = ["no", "on-failure", "on-failure:3", "always", "unless-stopped"];

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        return Policies.Where(p => p.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p, p, CompletionResultType.ParameterValue, p));
    }
}
