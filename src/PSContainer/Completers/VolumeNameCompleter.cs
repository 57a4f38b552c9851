using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSContainer.Engine;
using PSContainer.Engine.Storage;
using PSContainer.Engine.Volumes;

namespace PSContainer.Completers;

/// <summary>Completes volume names from the store, without taking the store lock.</summary>
public sealed class VolumeNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        List<VolumeRecord> volumes;
        try
        {
            var options = EngineOptions.FromEnvironment();
            volumes = new VolumeStore(new StoreLayout(options.Root, options.RunRoot)).List();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EngineException)
        {
            yield break;
        }
        foreach (var v in volumes.Where(v => pattern.IsMatch(v.Name)).OrderBy(v => v.Name, StringComparer.Ordinal))
            yield return new CompletionResult(v.Name, v.Name, CompletionResultType.ParameterValue, v.Anonymous ? v.Name + " (anonymous)" : v.Name);
    }
}
