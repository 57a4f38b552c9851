using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSContainer.Engine;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Storage;

namespace PSContainer.Completers;

/// <summary>Completes container names from the store, without taking the store lock.</summary>
public sealed class ContainerNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        List<ContainerRecord> containers;
        try
        {
            var options = EngineOptions.FromEnvironment();
            containers = new ContainerStore(new StoreLayout(options.Root, options.RunRoot)).List();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EngineException)
        {
            yield break;
        }
        foreach (var c in containers.Where(c => pattern.IsMatch(c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal))
            yield return new CompletionResult(c.Name, c.Name, CompletionResultType.ParameterValue, $"{c.Name} ({c.State.Status}, {c.ImageName})");
    }
}
