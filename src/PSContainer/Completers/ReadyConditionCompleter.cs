using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSContainer.Engine.Containers;

namespace PSContainer.Completers;

/// <summary>Completes the kinds of -WaitFor: Running, Healthy, Port, Log, Command.</summary>
public sealed class ReadyConditionCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        foreach (var kind in Enum.GetNames<ReadyKind>().Where(k => pattern.IsMatch(k)))
            yield return new CompletionResult(kind, kind, CompletionResultType.ParameterValue, kind);
    }
}
