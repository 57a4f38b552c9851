using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSContainer.Engine;
using PSContainer.Engine.Compose;
using PSContainer.Engine.Containers;
using PSContainer.Engine.Storage;

namespace PSContainer.Completers;

/// <summary>Completes compose project names from the containers' labels, without taking the store lock.</summary>
public sealed class ComposeProjectNameCompleter : IArgumentCompleter
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
        var projects = containers.Select(c => c.Settings.Labels.GetValueOrDefault(ComposeLabels.Project))
            .OfType<string>().Distinct(StringComparer.Ordinal).Where(pattern.IsMatch).Order(StringComparer.Ordinal);
        foreach (var project in projects)
            yield return new CompletionResult(project, project, CompletionResultType.ParameterValue, project);
    }
}
